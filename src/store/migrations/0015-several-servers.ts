import { PostgresAdapter, sql, type Kysely } from "kysely";

// Several servers on one PostgreSQL (issue 15). job_heartbeats holds, per unfinished import (or running
// Sync All), the progress and last sign of life of the server that runs it: any server shows the progress,
// and a stale heartbeat tells another server the run's server is gone. rate_limit_windows holds the fixed-window counts every
// server shares; job_schedules the due time of a schedule (Sync All), claimed by one server per interval.
// On PostgreSQL the directory_version trigger also sends NOTIFY, so every server's recipient index hears of a
// change at once. Both dialects get the tables, so the schemas stay alike. Never edited once landed.

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The channel the trigger notifies; the payload is the schema, so two installations on one database part. */
export const DIRECTORY_CHANGED_CHANNEL = "mailroster_directory_changed";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("job_heartbeats")
    // "import:<id>" or "sync:<id>": the record whose server beats.
    .addColumn("job", "text", (c) => c.primaryKey())
    .addColumn("progress_json", "text")
    .addColumn("heartbeat_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("rate_limit_windows")
    .addColumn("key", "text", (c) => c.primaryKey())
    // Milliseconds since the epoch: the window's start, compared and pruned as a number.
    .addColumn("window_start", "bigint", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("rate_limit_windows_start_idx")
    .on("rate_limit_windows")
    .column("window_start")
    .execute();
  await db.schema
    .createTable("job_schedules")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("due_at", "text", (c) => c.notNull())
    .execute();
  if (isPostgres(db)) {
    await sql
      .raw(
        `create or replace function bump_directory_version() returns trigger language plpgsql as $$ ` +
          `begin update directory_version set version = version + 1 where id = 1; ` +
          `perform pg_notify('${DIRECTORY_CHANGED_CHANNEL}', current_schema()); return null; end $$`,
      )
      .execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql
      .raw(
        `create or replace function bump_directory_version() returns trigger language plpgsql as $$ ` +
          `begin update directory_version set version = version + 1 where id = 1; return null; end $$`,
      )
      .execute(db);
  }
  await db.schema.dropTable("job_schedules").execute();
  await db.schema.dropTable("rate_limit_windows").execute();
  await db.schema.dropTable("job_heartbeats").execute();
}
