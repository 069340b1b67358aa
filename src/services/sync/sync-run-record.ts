import { AppError } from "../../errors/app-error.js";
import type { IssueCode } from "../../errors/codes.js";
import { findRunningSyncRun, finishRunningSyncRun, insertSyncRun } from "../../store/sync-runs-repository.js";
import { isUniqueViolation } from "../../store/unique-violation.js";
import { describeActor, newId, type ServiceContext, type Tx } from "../context.js";
import type { SyncError } from "./sync-errors.js";
import type { SyncRunOutcome } from "./sync-run-outcome.js";
import type { SyncConnectorOutcome } from "./sync-run-views.js";

/** Refused: the account's run `runId` is at work (on any server, or from the command line). */
export function syncAlreadyRunning(runId: string): AppError {
  return new AppError(
    "sync_already_running",
    `Sync All of this account is already running (run ${runId}); wait for it to end, then run it again.`,
    { runId },
  );
}

/**
 * A run's record: written `running` (and committed) before any connector is read, so the history and the
 * API show a run at work and a stopped process leaves a trace; then finished once, inside the run's write
 * transaction, or failed with a code saying why. An account has one run at work at a time, kept by a unique
 * index across servers: a second start is refused with sync_already_running and the running run's id.
 */
export async function recordSyncRunStart(
  context: ServiceContext,
  accountId: string,
  connectorCount: number,
): Promise<string> {
  // Twice at most: the run that refused the first insert may have ended before it could be named.
  for (let attempt = 0; ; attempt++) {
    try {
      return await insertRunning(context, accountId, connectorCount);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const running = await findRunningSyncRun(context.db, accountId);
      if (running) throw syncAlreadyRunning(running.id);
      if (attempt > 0) throw error;
    }
  }
}

async function insertRunning(
  context: ServiceContext,
  accountId: string,
  connectorCount: number,
): Promise<string> {
  const id = newId();
  await insertSyncRun(context.db, {
    id,
    account_id: accountId,
    started_at: context.now().toISOString(),
    finished_at: null,
    status: "running",
    created: 0,
    updated: 0,
    reclaimed: 0,
    flagged: 0,
    removed: 0,
    errors_json: "[]",
    state: "running",
    actor: describeActor(context.actor),
    connector_count: connectorCount,
    error_count: 0,
    error_counts_json: "{}",
    connectors_json: "[]",
    failure_code: null,
    failure_message: null,
  });
  return id;
}

export interface SyncRunEnd {
  readonly outcome: SyncRunOutcome;
  readonly counts: { created: number; updated: number; reclaimed: number; flagged: number; removed: number };
  readonly errors: readonly SyncError[];
  readonly errorCount: number;
  readonly errorCounts: Partial<Record<IssueCode, number>>;
  readonly connectors: readonly SyncConnectorOutcome[];
}

/**
 * Finishes the run in the transaction that wrote its changes: the record and the directory agree. A run no
 * longer `running` was failed meanwhile (its lease ran out): the transaction rolls back, nothing is written.
 */
export async function recordSyncRunEnd(
  tx: Tx,
  context: ServiceContext,
  runId: string,
  end: SyncRunEnd,
): Promise<void> {
  const finished = await finishRunningSyncRun(tx, runId, {
    finished_at: context.now().toISOString(),
    state: end.outcome.state,
    status: end.outcome.result,
    ...end.counts,
    errors_json: JSON.stringify(end.errors),
    error_count: end.errorCount,
    error_counts_json: JSON.stringify(end.errorCounts),
    connectors_json: JSON.stringify(end.connectors),
    failure_code: end.outcome.failure?.code ?? null,
    failure_message: end.outcome.failure?.message ?? null,
  });
  if (!finished) {
    throw new AppError(
      "sync_run_lease_lost",
      "This Sync All run was marked failed while it ran (its server's heartbeat was missed); nothing was written. Run Sync All again.",
      { runId },
    );
  }
}

/**
 * Marks a run still `running` failed with `code` and why; false when it had already ended. The writes of a
 * run are one transaction, so a run that did not finish wrote nothing, and "failed" is the truth.
 */
export async function recordSyncRunFailure(
  context: ServiceContext,
  runId: string,
  code: "sync_failed" | "sync_interrupted",
  message: string,
): Promise<boolean> {
  return finishRunningSyncRun(context.db, runId, {
    finished_at: context.now().toISOString(),
    state: "failed",
    status: "failed",
    failure_code: code,
    failure_message: message,
  });
}
