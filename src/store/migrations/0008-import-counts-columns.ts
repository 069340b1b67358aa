import { PostgresAdapter, sql, type Kysely, type RawBuilder } from "kysely";

// An import's error and warning counts and its mode (preview or save) become columns: the history lists a
// page of imports from them instead of scanning each record's JSON text. Backfilled from that JSON: the
// counts from issue_counts_json (0007), or from the lists where a record has no counts (older, or failed by
// the recovery, which appends its error to the list only); the mode from options_json, where it was kept
// beside the dialog's choices (null for records older than it). Never edited once landed.

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The larger of the stored count and the length of the list, per dialect. */
function backfillCount(postgres: boolean, list: string, count: string): RawBuilder<number> {
  return postgres
    ? sql<number>`greatest(json_array_length(${sql.ref(list)}::json),
        coalesce((issue_counts_json::json ->> ${sql.lit(count)})::integer, 0))`
    : sql<number>`max(json_array_length(${sql.ref(list)}),
        coalesce(json_extract(issue_counts_json, ${sql.lit(`$.${count}`)}), 0))`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite alters a table one column at a time.
  await db.schema
    .alterTable("imports")
    .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("imports")
    .addColumn("warning_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("imports").addColumn("mode", "text").execute();
  const postgres = isPostgres(db);
  const mode = postgres
    ? sql<string | null>`options_json::json ->> 'mode'`
    : sql<string | null>`json_extract(options_json, '$.mode')`;
  await sql`update imports set
    error_count = ${backfillCount(postgres, "errors_json", "errorCount")},
    warning_count = ${backfillCount(postgres, "warnings_json", "warningCount")},
    mode = ${mode}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The mode goes back beside the dialog's choices, where the code before this migration reads it.
  const options = isPostgres(db)
    ? sql`jsonb_set(options_json::jsonb, '{mode}', to_jsonb(mode))::text`
    : sql`json_set(options_json, '$.mode', mode)`;
  await sql`update imports set options_json = ${options} where mode is not null`.execute(db);
  await db.schema.alterTable("imports").dropColumn("mode").execute();
  await db.schema.alterTable("imports").dropColumn("warning_count").execute();
  await db.schema.alterTable("imports").dropColumn("error_count").execute();
}
