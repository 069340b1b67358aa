import type { Insertable, Selectable } from "kysely";
import type { Executor, SyncRunsTable } from "./schema.js";

export type SyncRunRow = Selectable<SyncRunsTable>;

export async function insertSyncRun(db: Executor, row: Insertable<SyncRunsTable>): Promise<void> {
  await db.insertInto("sync_runs").values(row).execute();
}

export async function listSyncRuns(db: Executor, accountId: string, limit: number): Promise<SyncRunRow[]> {
  return db
    .selectFrom("sync_runs")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
}
