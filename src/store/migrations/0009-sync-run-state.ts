import { PostgresAdapter, sql, type Kysely } from "kysely";

// A Sync All run becomes a record with a state (issue 12): written `running` before the connectors are
// read, then `done` or `failed`. finished_at becomes nullable (null while running); the run records who
// started it, how many connectors it read and each one's outcome, its error counts, and why it failed.
// `status` (ok / partial / failed) stays for the finished runs. SQLite cannot drop a NOT NULL, so there the
// table is rebuilt; PostgreSQL alters it in place. Never edited once landed.

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const OLD_COLUMNS = [
  "id",
  "account_id",
  "started_at",
  "finished_at",
  "status",
  "created",
  "updated",
  "reclaimed",
  "flagged",
  "removed",
  "errors_json",
] as const;

/** The sync_runs table in its shape before (`next` false) or after this migration, under `name`. */
async function createSyncRuns(db: Kysely<unknown>, name: string, next: boolean): Promise<void> {
  let table = db.schema
    .createTable(name)
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text", (c) => (next ? c : c.notNull()))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created", "integer", (c) => c.notNull())
    .addColumn("updated", "integer", (c) => c.notNull())
    .addColumn("reclaimed", "integer", (c) => c.notNull())
    .addColumn("flagged", "integer", (c) => c.notNull())
    .addColumn("removed", "integer", (c) => c.notNull())
    .addColumn("errors_json", "text", (c) => c.notNull());
  if (next) {
    table = table
      .addColumn("state", "text", (c) => c.notNull().defaultTo("done"))
      .addColumn("actor", "text", (c) => c.notNull().defaultTo(""))
      .addColumn("connector_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("error_count", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("error_counts_json", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("connectors_json", "text", (c) => c.notNull().defaultTo("[]"))
      .addColumn("failure_code", "text")
      .addColumn("failure_message", "text");
  }
  await table.execute();
}

async function createAccountIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("sync_runs_account_idx")
    .on("sync_runs")
    .columns(["account_id", "started_at"])
    .execute();
}

const columnList = sql.join(OLD_COLUMNS.map((c) => sql.ref(c)));

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isPostgres(db)) {
    await sql`alter table sync_runs alter column finished_at drop not null`.execute(db);
    const add = [
      sql`add column state text not null default 'done'`,
      sql`add column actor text not null default ''`,
      sql`add column connector_count integer not null default 0`,
      sql`add column error_count integer not null default 0`,
      sql`add column error_counts_json text not null default '{}'`,
      sql`add column connectors_json text not null default '[]'`,
      sql`add column failure_code text`,
      sql`add column failure_message text`,
    ];
    await sql`alter table sync_runs ${sql.join(add)}`.execute(db);
    await sql`update sync_runs set
      state = case when status = 'failed' then 'failed' else 'done' end,
      error_count = json_array_length(errors_json::json)`.execute(db);
    return;
  }
  // One transaction: the rebuild is all or nothing, and every statement runs on the writer (a statement
  // outside one is first prepared on the reader, whose schema may not yet show the drop).
  await db.transaction().execute(async (tx) => {
    await createSyncRuns(tx, "sync_runs_next", true);
    await sql`insert into sync_runs_next (${columnList}, state, error_count)
      select ${columnList}, case when status = 'failed' then 'failed' else 'done' end,
        json_array_length(errors_json)
      from sync_runs`.execute(tx);
    await tx.schema.dropTable("sync_runs").execute();
    await sql`alter table sync_runs_next rename to sync_runs`.execute(tx);
    await createAccountIndex(tx);
  });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // A run still running has no end: it ends where it started, failed.
  await sql`update sync_runs set finished_at = started_at, status = 'failed'
    where finished_at is null`.execute(db);
  if (isPostgres(db)) {
    const drop = [
      "failure_message",
      "failure_code",
      "connectors_json",
      "error_counts_json",
      "error_count",
      "connector_count",
      "actor",
      "state",
    ].map((c) => sql`drop column ${sql.ref(c)}`);
    await sql`alter table sync_runs ${sql.join(drop)}`.execute(db);
    await sql`alter table sync_runs alter column finished_at set not null`.execute(db);
    return;
  }
  await db.transaction().execute(async (tx) => {
    await createSyncRuns(tx, "sync_runs_prev", false);
    await sql`insert into sync_runs_prev (${columnList}) select ${columnList} from sync_runs`.execute(tx);
    await tx.schema.dropTable("sync_runs").execute();
    await sql`alter table sync_runs_prev rename to sync_runs`.execute(tx);
    await createAccountIndex(tx);
  });
}
