import { sql, type RawBuilder, type SqlBool } from "kysely";
import { inKeys } from "./bulk/chunked-keys.js";
import { isPostgres } from "./bulk/dialect.js";
import { keysetCondition, type KeysetValue } from "./keyset-page.js";
import { containsPattern, likeCondition as like } from "./like-pattern.js";
import type { Executor } from "./schema.js";
import { foldSearchText, searchSortKey } from "./search-keys.js";
import { shortTextInDomains, shortTextMatches, shortTextMatchesPostgres } from "./short-text-search.js";

// Lists and searches of users over user_search (migration 0014): keyset pages along one index per order, a
// trigram index for text, counts capped so no page pays for counting a million rows.

export type UserListSort = "address" | "name" | "type" | "updated";
export type UserSearchField = "any" | "address" | "alias" | "name" | "attribute";

/** The sort tuple of one row, its last value the user id: what a cursor carries. */
export type SortPosition = readonly KeysetValue[];

export interface UserListQuery {
  readonly accountId: string;
  /** Matched anywhere (case and width folded) in the chosen field(s); "" for no text. */
  readonly text: string;
  readonly field: UserSearchField;
  /** With field "attribute": only this attribute's values (by definition id). */
  readonly attributeDefinitionId?: string | undefined;
  /** An attribute filter: users whose attribute (by definition id) is exactly this value. */
  readonly attributeEquals?: { readonly definitionId: string; readonly value: string } | undefined;
  readonly type?: string | undefined;
  readonly locked?: boolean | undefined;
  /** Members of any of these groups. */
  readonly groupIds?: readonly string[] | undefined;
  /** Users left out (the exact matches a first page already showed). */
  readonly excludeIds?: readonly string[] | undefined;
  readonly sort: UserListSort;
}

export interface UserListRow {
  readonly userId: string;
  readonly position: SortPosition;
}

const SORT_COLUMNS: Record<UserListSort, readonly string[]> = {
  address: ["address_sort", "user_id"],
  name: ["name_sort", "user_id"],
  type: ["type", "address_sort", "user_id"],
  updated: ["updated_at", "user_id"],
};

/** The newest first for "updated"; every other order ascending. */
const DESCENDING: Record<UserListSort, boolean> = { address: false, name: false, type: false, updated: true };

/** Fewer trigram matches than this and the page sorts them; more, and it walks the sort index instead. */
const TRIGRAM_CANDIDATES = 1000;
/** Alias rows read per user of the budget: most users who match by an alias match by one or two. */
const ALIAS_ROWS_PER_USER = 3;

/** Users whose aliases hold the text, tested row by row (the common-text path). */
function aliasLike(db: Executor, pattern: string): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`exists (select 1 from addresses a where a.user_id = s.user_id and a.kind = 'alias'
        and ${like(sql`a.address_key`, pattern)})`
    : sql<SqlBool>`exists (select 1 from alias_search a where a.user_id = s.user_id
        and ${like(sql`a.address_key`, pattern)})`;
}

/**
 * An FTS5 query for every trigram of the text, whose matches the caller checks with LIKE (FTS5 cannot take
 * LIKE's ESCAPE clause, which text holding % or _ needs). FTS5 intersects the lists itself: for an address at a
 * million users, all 18 trigrams take ~2 ms, where asking fts5vocab which were rarest took ~200 ms (it reads a
 * common trigram's whole list to count its rows).
 */
function allTrigrams(folded: string): string {
  const chars = Array.from(folded);
  const grams = [...new Set(chars.slice(2).map((_, i) => chars.slice(i, i + 3).join("")))];
  return grams.map((gram) => `"${gram.replace(/"/g, '""')}"`).join(" AND ");
}

/**
 * The text matched through PostgreSQL's trigram index. pg_trgm asks the index for every trigram of the
 * pattern, and a domain's ("exa", "amp", "com", ...) stand in nearly every row: for a whole address the index
 * read 4,700 pages where its local part reads 1,000 (75 -> 11 ms at a million users). So text with a local
 * part of three characters or more before an @ asks the index for that part (with its @) alone, and the whole
 * text is checked by strpos on the few rows it finds.
 */
function trigramMatch(column: RawBuilder<unknown>, folded: string, pattern: string): RawBuilder<SqlBool> {
  const at = folded.indexOf("@");
  if (at < 0 || at + 1 === folded.length || isShort(folded.slice(0, at))) return like(column, pattern);
  const local = containsPattern(folded.slice(0, at + 1));
  return sql<SqlBool>`${like(column, local)} and strpos(${column}, ${folded}) > 0`;
}

/** The trigram indexes cannot look up text under three characters: it is found by reading the rows. */
function isShort(folded: string): boolean {
  return Array.from(folded).length < 3;
}

/**
 * Up to `limit` ids of users whose name or primary address (`user`) or aliases (`alias`) hold the text,
 * through the trigram indexes (FTS5 on SQLite, pg_trgm on PostgreSQL). Text under three characters has no
 * trigram: it is looked up in an index of its own (short-text-search.ts).
 */
async function indexedMatches(
  db: Executor,
  accountId: string,
  folded: string,
  pattern: string,
  scope: "user" | "alias" | "attribute",
  limit: number,
  shortByIndex: boolean,
): Promise<string[]> {
  const pg = isPostgres(db);
  if (scope === "attribute") {
    // Attribute values have no trigram index: this reads the account's values (a scan; see ARCHITECTURE).
    return (
      await sql<{
        id: string;
      }>`select distinct user_id as id from attribute_values where account_id = ${accountId}
        and ${like(sql`mailroster_fold(value)`, pattern)} limit ${limit}`.execute(db)
    ).rows.map((r) => r.id);
  }
  if (isShort(folded)) {
    const lookup = { accountId, folded, pattern, scope, limit, byIndex: shortByIndex };
    return pg ? shortTextMatchesPostgres(db, lookup) : shortTextMatches(db, lookup);
  }
  const query =
    scope === "user"
      ? pg
        ? sql<{ id: string }>`select user_id as id from user_search where account_id = ${accountId}
            and ${trigramMatch(sql`doc`, folded, pattern)} limit ${limit}`
        : // Driven by the trigram matches, streamed: a common text stops at `limit` rows instead of listing
          // all its matches first (+account_id keeps SQLite from walking the account's million-row index).
          sql<{
            id: string;
          }>`select s.user_id as id from user_search_fts f join user_search s on s.seq = f.rowid
              where f.user_search_fts match ${allTrigrams(folded)} and +s.account_id = ${accountId}
              and ${like(sql`s.doc`, pattern)} limit ${limit}`
      : pg
        ? sql<{ id: string }>`select user_id as id from addresses where kind = 'alias'
            and account_id = ${accountId} and ${trigramMatch(sql`address_key`, folded, pattern)}
            limit ${limit}`
        : // The alias index holds every account's aliases: the page keeps this account's.
          sql<{
            id: string;
          }>`select a.user_id as id from alias_search_fts f join alias_search a on a.seq = f.rowid
            where f.alias_search_fts match ${allTrigrams(folded)} and ${like(sql`a.address_key`, pattern)}
            limit ${limit}`;
  return (await query.execute(db)).rows.map((r) => r.id);
}

/**
 * How the text is matched for the field. Rare text (fewer than TRIGRAM_CANDIDATES matches) becomes the set
 * of matching ids, read through the trigram indexes (or, under three characters, the index's rows) once per
 * request and sorted by the page's query. Common text is tested row by row while the page walks its order's
 * index: with thousands of matches, a page's worth comes long before the end.
 */
async function textCondition(
  db: Executor,
  accountId: string,
  folded: string,
  field: UserSearchField,
): Promise<{ condition: RawBuilder<SqlBool>; ids: boolean; proven: boolean } | undefined> {
  if (folded === "" || field === "attribute") return undefined;
  const pattern = containsPattern(folded);
  // "any" is what the console's search box asks: names, addresses and aliases, all indexed. Attribute values
  // are searched only when asked (field "attribute", a scan) or filtered exactly (attributeEquals, indexed):
  // in "any" they made every search read the account's five million values at a million users.
  const scopes: ("user" | "alias" | "attribute")[] =
    field === "alias" ? ["alias"] : field === "any" ? ["user", "alias"] : ["user"];
  const ids = new Set<string>();
  let common = false;
  let otherAccounts = false;
  const short = isShort(folded);
  const shortByIndex = short && !(await shortTextInDomains(db, pattern));
  // SQLite's short-text terms give each user once; every other read gives a row per matching alias.
  const distinctUsers = shortByIndex && !isPostgres(db);
  // Short text: the aliases first, where two letters are commonest (u9 in u9.b@), so a common text stops
  // early and is left to the walk below without reading the names too.
  for (const scope of short ? [...scopes].reverse() : scopes) {
    // A user may match by several aliases: their rows are read a few times over the budget of users.
    const rowsPerUser = scope === "alias" && !distinctUsers ? ALIAS_ROWS_PER_USER : 1;
    const budget = (TRIGRAM_CANDIDATES - ids.size) * rowsPerUser;
    const matches = await indexedMatches(db, accountId, folded, pattern, scope, budget, shortByIndex);
    for (const id of matches) ids.add(id);
    // SQLite's alias index holds every account's aliases: its matches prove nothing of this account.
    if (scope === "alias" && !isPostgres(db)) otherAccounts = true;
    // A full budget was cut short: the set is not complete, and the text is common.
    common = matches.length >= budget || ids.size >= TRIGRAM_CANDIDATES;
    if (common) break;
  }
  if (!common) return { condition: inKeys(db, "s.user_id", [...ids]), ids: true, proven: false };
  const tests = scopes.map((scope) =>
    scope === "user"
      ? like(sql`s.doc`, pattern)
      : scope === "alias"
        ? aliasLike(db, pattern)
        : sql<SqlBool>`exists (select 1 from attribute_values v where v.user_id = s.user_id
            and ${like(sql`mailroster_fold(v.value)`, pattern)})`,
  );
  const condition = tests.length === 1 ? tests[0] : sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
  // That many different users were seen to match: counting them again row by row is not needed.
  return condition && { condition, ids: false, proven: !otherAccounts && ids.size >= TRIGRAM_CANDIDATES };
}

function fieldCondition(query: UserListQuery, folded: string): RawBuilder<SqlBool> | undefined {
  const pattern = containsPattern(folded);
  switch (query.field) {
    case "any":
      return undefined;
    case "address":
      return like(sql`(select u.email_key from users u where u.id = s.user_id)`, pattern);
    case "name":
      return like(sql`(select mailroster_fold(u.name) from users u where u.id = s.user_id)`, pattern);
    case "alias":
      return undefined; // textCondition matches the aliases alone
    case "attribute": {
      // Attribute values are not in the trigram index: this one scans (the exact filter below does not).
      const definition =
        query.attributeDefinitionId === undefined
          ? sql``
          : sql`and v.definition_id = ${query.attributeDefinitionId}`;
      const match = folded === "" ? sql`` : sql`and ${like(sql`mailroster_fold(v.value)`, pattern)}`;
      return sql<SqlBool>`exists (select 1 from attribute_values v where v.user_id = s.user_id ${definition} ${match})`;
    }
  }
}

/** A search's conditions, worked out once per request (the trigram look-ups) for its page and its count. */
export interface PreparedUserSearch {
  readonly query: UserListQuery;
  readonly where: RawBuilder<SqlBool>;
  readonly hasText: boolean;
  /**
   * Each row of the walk is tested (text under three characters or common enough to match thousands, a
   * group's members): counting far costs a test per row.
   */
  readonly testsEachRow: boolean;
  /**
   * How many users are known to match (0 when unknown): a common text's look-up saw that many different
   * users match and nothing else filters them. A count capped at or under it needs no query.
   */
  readonly matchesAtLeast: number;
}

export async function prepareUserSearch(db: Executor, query: UserListQuery): Promise<PreparedUserSearch> {
  const folded = foldSearchText(query.text.trim());
  const text = await textCondition(db, query.accountId, folded, query.field);
  // With a few matching ids, SQLite should look them up by id, not walk the account's index (a million rows):
  // the unary plus hides account_id from its planner (PostgreSQL plans this itself and has no unary plus for text).
  const account =
    text?.ids && !isPostgres(db)
      ? sql<SqlBool>`+s.account_id = ${query.accountId}`
      : sql<SqlBool>`s.account_id = ${query.accountId}`;
  const conditions: RawBuilder<SqlBool>[] = [account];
  if (text) conditions.push(text.condition);
  const textAlone = conditions.length;
  const field = fieldCondition(query, folded);
  if (field && (folded !== "" || query.field === "attribute")) conditions.push(field);
  if (query.attributeEquals) {
    conditions.push(sql<SqlBool>`exists (select 1 from attribute_values v where v.user_id = s.user_id
      and v.definition_id = ${query.attributeEquals.definitionId} and v.value = ${query.attributeEquals.value})`);
  }
  if (query.type !== undefined) conditions.push(sql<SqlBool>`s.type = ${query.type}`);
  if (query.locked !== undefined) conditions.push(sql<SqlBool>`s.locked = ${query.locked ? 1 : 0}`);
  if (query.groupIds !== undefined) {
    const groups = query.groupIds.length === 0 ? [""] : query.groupIds;
    conditions.push(sql<SqlBool>`exists (select 1 from group_members gm where gm.user_id = s.user_id
      and gm.group_id in (${sql.join(groups)}))`);
  }
  return {
    query,
    where: sql<SqlBool>`${sql.join(conditions, sql` and `)}`,
    hasText: folded !== "",
    testsEachRow: (text !== undefined && !text.ids) || query.groupIds !== undefined,
    matchesAtLeast: text?.proven && conditions.length === textAlone ? TRIGRAM_CANDIDATES : 0,
  };
}

function excluding(ids: readonly string[] | undefined): RawBuilder<SqlBool>[] {
  return ids === undefined || ids.length === 0 ? [] : [sql<SqlBool>`s.user_id not in (${sql.join(ids)})`];
}

/**
 * One keyset page: the `limit` rows after `after` (or before `before`, for a previous page), in the order's
 * direction, returned in display order.
 */
export async function pageUserSearch(
  db: Executor,
  prepared: PreparedUserSearch,
  page: {
    after?: SortPosition | undefined;
    before?: SortPosition | undefined;
    limit: number;
    /** The older offset paging (deep offsets scan; keyset pages do not). */
    offset?: number | undefined;
  },
): Promise<UserListRow[]> {
  const { query } = prepared;
  const columns = SORT_COLUMNS[query.sort];
  const backwards = page.before !== undefined;
  // Reading backwards walks the index the other way; the page is turned round after.
  const descending = DESCENDING[query.sort] !== backwards;
  const where = [prepared.where, ...excluding(query.excludeIds)];
  const position = page.before ?? page.after;
  if (position !== undefined) {
    where.push(
      keysetCondition(
        columns.map((c) => `s.${c}`),
        position,
        !descending,
      ),
    );
  }
  const direction = sql.raw(descending ? "desc" : "asc");
  const order = sql.join(columns.map((c) => sql`${sql.ref(`s.${c}`)} ${direction}`));
  const result = await sql<Record<string, string>>`select ${sql.join(columns.map((c) => sql.ref(`s.${c}`)))}
    from user_search s where ${sql.join(where, sql` and `)} order by ${order} limit ${page.limit} offset ${page.offset ?? 0}`.execute(
    db,
  );
  const rows = result.rows.map((row) => ({
    userId: String(row.user_id),
    position: columns.map((c) => String(row[c])),
  }));
  return backwards ? rows.reverse() : rows;
}

/** How many users match, counted up to `cap` (a capped count: the exact figure past it costs a full scan). */
export async function countUserSearch(
  db: Executor,
  prepared: PreparedUserSearch,
  cap: number,
): Promise<number> {
  if (prepared.matchesAtLeast >= cap) return cap;
  const result = await sql<{ n: number | string }>`select count(*) as n from
    (select 1 from user_search s where ${prepared.where} limit ${cap}) as m`.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Users of the account the text names exactly: a primary address or alias equal to it (the addresses'
 * primary key), or a name equal to it once folded (the name order's index). At most `limit`.
 */
export async function findExactUserMatches(
  db: Executor,
  accountId: string,
  text: string,
  limit: number,
): Promise<string[]> {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  const byAddress = await db
    .selectFrom("addresses")
    .select("user_id")
    .where("address_key", "=", trimmed.toLowerCase())
    .where("account_id", "=", accountId)
    .execute();
  const byName = await db
    .selectFrom("user_search")
    .select("user_id")
    .where("account_id", "=", accountId)
    .where("name_sort", "=", searchSortKey(trimmed))
    .orderBy("user_id")
    .limit(limit)
    .execute();
  return [...new Set([...byAddress, ...byName].map((r) => r.user_id))].slice(0, limit);
}
