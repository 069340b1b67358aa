import { PostgresAdapter, sql, type Kysely } from "kysely";

// Text of one or two characters searched through an index (issue 15; store/short-text-search.ts). Never
// edited once landed.
//
// SQLite: fts5vocab's "instance" view of each FTS5 table of migration 0014 lists the documents of each trigram
// and can be read over a range of trigrams (every trigram that begins with the text). A view of the index, not
// a copy: nothing more is written per user.
//
// PostgreSQL: pg_trgm has no such view, so a GIN index of character pairs, on user_search and on the aliases
// in addresses: two characters are one pair, one character the prefix of a pair or the last character. Of a
// document's part up to its address's last @ (name, local part and @): a domain's pairs stand in every row of
// it, and would cost the import most of the index (the search finds text in a domain among the domains). An
// expression of built-in functions (inlined, no per-row SQL call): each character doubled, the first dropped,
// split every two ("abc": aabbcc, abbcc, ab|bc|c). U+FFFF, the splitting mark, is first read as U+FFFD.

const TERM_VIEWS = [
  ["user_search_terms", "user_search_fts"],
  ["alias_search_terms", "alias_search_fts"],
] as const;

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    for (const [view, fts] of TERM_VIEWS) {
      await sql`create virtual table ${sql.id(view)} using fts5vocab(${sql.lit(fts)}, 'instance')`.execute(
        db,
      );
    }
    return;
  }
  await sql`create function mailroster_pairs_before_domain(t text) returns tsvector language sql immutable parallel safe
    as $$ select array_to_tsvector(string_to_array(regexp_replace(substr(regexp_replace(
      replace(left(t, length(t) - strpos(reverse(t), '@') + 1), chr(65535), chr(65533)),
      '(.)', '\\1\\1', 'g'), 2), '(..)', '\\1' || chr(65535), 'g'), chr(65535))) $$`.execute(db);
  await sql`create index user_search_grams_idx on user_search using gin (mailroster_pairs_before_domain(doc))`.execute(
    db,
  );
  await sql`create index addresses_alias_grams_idx on addresses using gin (mailroster_pairs_before_domain(address_key))
    where kind = 'alias'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    for (const [view] of TERM_VIEWS) await sql`drop table ${sql.id(view)}`.execute(db);
    return;
  }
  await sql`drop index addresses_alias_grams_idx`.execute(db);
  await sql`drop index user_search_grams_idx`.execute(db);
  await sql`drop function mailroster_pairs_before_domain(text)`.execute(db);
}
