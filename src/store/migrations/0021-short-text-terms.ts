import { PostgresAdapter, sql, type Kysely } from "kysely";

// Text of one or two characters searched through the trigram index (issue 15): on SQLite, fts5vocab's
// "instance" view of each FTS5 table of migration 0014, which lists the documents of each trigram and can be
// read over a range of trigrams (every trigram that begins with the text) without reading the rows. A view of
// the index, not a copy: nothing more is written per user. PostgreSQL's pg_trgm has no such view; nothing
// changes there. Never edited once landed.

const TERM_VIEWS = [
  ["user_search_terms", "user_search_fts"],
  ["alias_search_terms", "alias_search_fts"],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  for (const [view, fts] of TERM_VIEWS) {
    await sql`create virtual table ${sql.id(view)} using fts5vocab(${sql.lit(fts)}, 'instance')`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  for (const [view] of TERM_VIEWS) await sql`drop table ${sql.id(view)}`.execute(db);
}
