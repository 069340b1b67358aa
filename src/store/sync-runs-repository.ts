import type { Insertable, Selectable, Updateable } from "kysely";
import type { Executor, SyncRunsTable } from "./schema.js";
import { findRowByKey, offsetPage } from "./table-rows.js";

export type SyncRunRow = Selectable<SyncRunsTable>;

export async function insertSyncRun(db: Executor, row: Insertable<SyncRunsTable>): Promise<void> {
  await db.insertInto("sync_runs").values(row).execute();
}

export async function findSyncRunById(db: Executor, id: string): Promise<SyncRunRow | undefined> {
  return findRowByKey(db, "sync_runs", "id", id);
}

/** The account's latest runs, newest first (at most `limit`). */
export async function listSyncRuns(db: Executor, accountId: string, limit: number): Promise<SyncRunRow[]> {
  return db
    .selectFrom("sync_runs")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** What a line of the run history shows: no list of errors, which only the detail reads. */
export type SyncRunListRow = Omit<SyncRunRow, "errors_json">;

const LIST_COLUMNS = [
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
  "state",
  "actor",
  "connector_count",
  "error_count",
  "error_counts_json",
  "connectors_json",
  "failure_code",
  "failure_message",
] as const satisfies readonly (keyof SyncRunListRow)[];

/** One page of an account's runs, newest first, and how many runs it has in all. */
export async function listSyncRunsPage(
  db: Executor,
  accountId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: SyncRunListRow[]; total: number }> {
  return offsetPage(db.selectFrom("sync_runs").where("account_id", "=", accountId), page, (q) =>
    q.select(LIST_COLUMNS).orderBy("started_at", "desc").orderBy("id", "desc"),
  );
}

/** The account's latest finished run (a connector shows the last run that read it). */
export async function findLatestFinishedSyncRun(
  db: Executor,
  accountId: string,
): Promise<SyncRunListRow | undefined> {
  return db
    .selectFrom("sync_runs")
    .select(LIST_COLUMNS)
    .where("account_id", "=", accountId)
    .where("state", "!=", "running")
    .orderBy("started_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** Changes a run only while it is still `running`; true when it changed (a run finishes once). */
export async function finishRunningSyncRun(
  db: Executor,
  id: string,
  changes: Updateable<SyncRunsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable("sync_runs")
    .set(changes)
    .where("id", "=", id)
    .where("state", "=", "running")
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The account's run at work, if any (a unique index keeps it to one). */
export async function findRunningSyncRun(
  db: Executor,
  accountId: string,
): Promise<{ id: string; started_at: string } | undefined> {
  return db
    .selectFrom("sync_runs")
    .select(["id", "started_at"])
    .where("account_id", "=", accountId)
    .where("state", "=", "running")
    .executeTakeFirst();
}

/** Every run at work (one per account at most), with when it started. */
export async function listRunningSyncRuns(db: Executor): Promise<{ id: string; started_at: string }[]> {
  return db.selectFrom("sync_runs").select(["id", "started_at"]).where("state", "=", "running").execute();
}
