import { AppError } from "../../errors/app-error.js";
import { findAccountById } from "../../store/accounts-repository.js";
import { findSyncRunById, listSyncRunsPage } from "../../store/sync-runs-repository.js";
import { isWithinReach, resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { mapSyncRun, mapSyncRunListItem, type SyncRunListItem, type SyncRunView } from "./sync-run-views.js";

/** The history of an account's Sync All runs, newest first, a page at a time; needs run_directory_sync. */
export async function listSyncRunHistory(
  context: ServiceContext,
  request: { account?: string | undefined; page: number; pageSize: number },
): Promise<{ items: SyncRunListItem[]; total: number; page: number; pageSize: number }> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "run_directory_sync");
  const { rows, total } = await listSyncRunsPage(context.db, account.id, {
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  return {
    items: rows.map((row) => mapSyncRunListItem(row, account.code)),
    total,
    page: request.page,
    pageSize: request.pageSize,
  };
}

/**
 * One run with its first errors. A run of an account outside the actor's reach is answered as a missing
 * one (sync_run_not_found), so an id is no oracle; within reach, the actor needs run_directory_sync.
 */
export async function showSyncRun(context: ServiceContext, runId: string): Promise<SyncRunView> {
  const row = await findSyncRunById(context.db, runId);
  if (!row || !(await isWithinReach(context.db, context.actor, row.account_id))) {
    throw new AppError("sync_run_not_found", `No Sync All run has the id ${runId}.`, { runId });
  }
  await authorize(context.db, context.actor, row.account_id, "run_directory_sync");
  const account = await findAccountById(context.db, row.account_id);
  return mapSyncRun(row, account?.code ?? "");
}
