import { sql, type Kysely } from "kysely";

// Sync All on several servers (issue 15): at most one run of an account is `running`, whichever server (or
// command line) started it, held by the database itself. A run left running by a stopped process is failed
// by the next server to start or by its lease's watchdog. Before the index, older duplicates are failed (the
// newest one stays). Never edited once landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update sync_runs set state = 'failed', status = 'failed', finished_at = started_at,
      failure_code = 'sync_interrupted',
      failure_message = 'The server stopped while Sync All was running; nothing was written. Run Sync All again.'
    where state = 'running' and exists (
      select 1 from sync_runs newer where newer.account_id = sync_runs.account_id and newer.state = 'running'
        and (newer.started_at > sync_runs.started_at
          or (newer.started_at = sync_runs.started_at and newer.id > sync_runs.id)))`.execute(db);
  await sql`create unique index sync_runs_one_running on sync_runs (account_id) where state = 'running'`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("sync_runs_one_running").execute();
}
