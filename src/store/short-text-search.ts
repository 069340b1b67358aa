import { sql, type SqlBool } from "kysely";
import { isPostgres } from "./bulk/dialect.js";
import { likeCondition as like } from "./like-pattern.js";
import type { Executor } from "./schema.js";

// Text of one or two characters (issue 15) has no trigram of its own; each database finds it through an index
// of its own (migration 0021) instead of reading every row (half a second to find nothing at a million users).
//
// SQLite: wherever the text stands in a document, bar that document's last two characters, it begins one of
// the document's trigrams: its matches are the documents of the FTS5 index's terms that begin with it, a range
// of terms read from fts5vocab's instance view and stopped at the caller's limit. A document's last two
// characters (a user's primary address ends it, an alias is one) are those of an address's domain, and every
// address is in an internal domain (the rulebook refuses any other): when no internal domain ends in the text,
// no document matches there. When one does, every user of that domain matches, and the rows are read in table
// order, which stops early for such common text.
//
// PostgreSQL: a GIN index of the character pairs (and last character) of each document's part up to its
// address's @: text that an internal domain holds (with its @ before it) is read from the rows like SQLite's.
// The index's look-up reads a pair's whole list before the first row, which for common text ("e", "u9") is much
// of the table; the rows answer such text at once. So a first read of the account's first rows tells which:
// text in one row of fifty or more reads the rows, rarer text the index.

/**
 * FTS5's trigram tokenizer folds these characters, and no other, beyond foldSearchText (a test reads SQLite's
 * own tokenizer over every code point): its terms hold the right-hand ones.
 */
const TERM_FOLDS: ReadonlyMap<string, string> = new Map([
  ["\u0345", "\u03b9"], // combining ypogegrammeni: iota
  ["\u03c2", "\u03c3"], // final sigma: sigma
  ["\ufffe", "\ufffd"], // two noncharacters: the replacement character
  ["\uffff", "\ufffd"],
]);

/** The folded text as FTS5's trigram terms spell it. */
export function trigramTermText(folded: string): string {
  return Array.from(folded, (c) => TERM_FOLDS.get(c) ?? c).join("");
}

/** The greatest code point: every term that begins with the text sorts at or before the text and two of it. */
const LAST = "\u{10FFFF}\u{10FFFF}";

/** Rows read in table order to tell common short text from rare on PostgreSQL. */
const PROBE_ROWS = 1000;
/**
 * Matches among them that make the text common (one row in fifty). Reading rows to a budget of 1,000 costs
 * 1,000 / share rows; the index, share x rows of its list: at a million users (three million aliases) the two
 * meet near 3%, and a list entry costs less than a row.
 */
const PROBE_COMMON = 20;

/**
 * The text as a query of PostgreSQL's pairs index: two characters are a pair, one character the prefix of the
 * pairs it begins (and of a last character). Quoted as tsquery reads a lexeme; U+FFFF as the index reads it.
 */
function pairsQuery(folded: string): string {
  const lexeme = folded
    .replace(/\uffff/g, "\ufffd")
    .replace(/\\/g, "\\\\")
    .replace(/'/g, "''");
  return Array.from(folded).length === 1 ? `'${lexeme}':*` : `'${lexeme}'`;
}

/** One look-up of short text. */
export interface ShortTextLookup {
  readonly accountId: string;
  readonly folded: string;
  /** The text as a LIKE pattern (like-pattern.ts), which every match is checked against. */
  readonly pattern: string;
  readonly scope: "user" | "alias";
  readonly limit: number;
  /** No internal domain holds the text where the index does not look (shortTextInDomains). */
  readonly byIndex: boolean;
}

/**
 * Up to `limit` ids of users (repeated where several aliases match) whose document or aliases hold text of one
 * or two characters, on PostgreSQL. `byIndex`: through the pairs index, unless the account's first rows show
 * the text common; otherwise by reading the rows, which stops at `limit` early for common text.
 */
export async function shortTextMatchesPostgres(db: Executor, lookup: ShortTextLookup): Promise<string[]> {
  const { accountId, folded, pattern, scope, limit, byIndex } = lookup;
  const [table, column, rows] =
    scope === "user"
      ? [sql`user_search`, sql`doc`, sql<SqlBool>`account_id = ${accountId}`]
      : [sql`addresses`, sql`address_key`, sql<SqlBool>`kind = 'alias' and account_id = ${accountId}`];
  let pairs = sql``;
  if (byIndex) {
    const probe = await sql<{ n: number | string }>`select count(*) as n from
      (select ${column} as text from ${table} where ${rows} limit ${PROBE_ROWS}) as r
      where ${like(sql`r.text`, pattern)}`.execute(db);
    if (Number(probe.rows[0]?.n ?? 0) < PROBE_COMMON) {
      pairs = sql`and mailroster_pairs_before_domain(${column}) @@ ${pairsQuery(folded)}::tsquery`;
    }
  }
  const query = sql<{ id: string }>`select user_id as id from ${table} where ${rows} ${pairs}
    and ${like(column, pattern)} limit ${limit}`;
  return (await query.execute(db)).rows.map((r) => r.id);
}

/**
 * Whether an internal domain (of any account) holds the text where the short-text index does not look: in its
 * last two characters (SQLite's trigram terms), or anywhere in it or its @ (PostgreSQL's pairs). A scan of the
 * domains, which number thousands where users number millions.
 */
export async function shortTextInDomains(db: Executor, pattern: string): Promise<boolean> {
  const part = isPostgres(db) ? sql`'@' || name` : sql`substr(name, length(name) - 1)`;
  const result = await sql<{ hit: number }>`select 1 as hit from domains
    where ${like(part, pattern)} limit 1`.execute(db);
  return result.rows.length > 0;
}

/**
 * Up to `limit` different users whose document (`user`: folded name and primary address) or aliases (`alias`)
 * hold text of one or two characters, on SQLite. `byIndex`: through the trigram index's terms; otherwise by
 * reading the rows in table order, which stops at `limit` for common text. Aliases are indexed for every
 * account: the caller keeps this account's.
 */
export async function shortTextMatches(db: Executor, lookup: ShortTextLookup): Promise<string[]> {
  const { accountId, folded, pattern, scope, limit, byIndex } = lookup;
  const term = trigramTermText(folded);
  const query = byIndex
    ? scope === "user"
      ? // Driven by the terms (+account_id keeps SQLite from walking the account's million-row index).
        sql<{ id: string }>`select distinct s.user_id as id from user_search_terms t
          join user_search s on s.seq = t.doc
          where t.term >= ${term} and t.term <= ${term + LAST} and +s.account_id = ${accountId}
          and ${like(sql`s.doc`, pattern)} limit ${limit}`
      : sql<{ id: string }>`select distinct a.user_id as id from alias_search_terms t
          join alias_search a on a.seq = t.doc
          where t.term >= ${term} and t.term <= ${term + LAST} and ${like(sql`a.address_key`, pattern)}
          limit ${limit}`
    : scope === "user"
      ? // +account_id: read in table order, not through the account's million-row index.
        sql<{ id: string }>`select user_id as id from user_search where +account_id = ${accountId}
          and ${like(sql`doc`, pattern)} limit ${limit}`
      : sql<{ id: string }>`select user_id as id from alias_search where ${like(sql`address_key`, pattern)}
          limit ${limit}`;
  return (await query.execute(db)).rows.map((r) => r.id);
}
