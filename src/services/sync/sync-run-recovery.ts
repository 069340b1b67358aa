import { findSyncRunById, listRunningSyncRuns } from "../../store/sync-runs-repository.js";
import type { ServiceContext } from "../context.js";
import { heartbeatsOf } from "../job-heartbeats.js";
import type { SyncProgress } from "./run-sync.js";
import { recordSyncRunFailure } from "./sync-run-record.js";

// A Sync All run's lease (several servers on PostgreSQL, jobs/leases.ts): the running server's heartbeat
// and progress, and what another server does once that heartbeat stops.

const INTERRUPTED = "The server stopped while Sync All was running; nothing was written. Run Sync All again.";

/** The running server's (or command's) sign of life and the run's progress. */
export const SYNC_HEARTBEATS = heartbeatsOf<SyncProgress>("sync", async (context, runId) => {
  const run = await findSyncRunById(context.db, runId);
  if (run?.state !== "running") return undefined;
  return {
    recordedAt: run.started_at,
    fail: () => recordSyncRunFailure(context, runId, "sync_interrupted", INTERRUPTED),
  };
});

/** Fails a run whose process is gone (false when it had ended) and forgets its heartbeat. */
async function failInterrupted(context: ServiceContext, runId: string): Promise<boolean> {
  const failed = await recordSyncRunFailure(context, runId, "sync_interrupted", INTERRUPTED);
  await SYNC_HEARTBEATS.end(context, runId);
  return failed;
}

/** A running run's progress as its server last wrote it; undefined once it has ended. */
export const readSyncProgress = SYNC_HEARTBEATS.read;

/**
 * A lease's watchdog (or a start that found the account's run at work): a run that ended needs nothing; one
 * whose server beat within `leaseMs` is alive; else it is failed `sync_interrupted` (its write transaction,
 * if any, died with its server). The update is guarded by the state, so of two servers, one fails it.
 */
export const settleSyncLease = SYNC_HEARTBEATS.settle;

/**
 * At server start: a run still `running` was cut off by a process stopping, and no process will finish it.
 * With `staleAfterMs` (several servers on one database) only a run whose server has shown no sign of life
 * for that long is failed: another server may be running it. Returns how many it failed.
 */
export async function failInterruptedSyncRuns(
  context: ServiceContext,
  options: { staleAfterMs?: number | undefined } = {},
): Promise<number> {
  const works = (await listRunningSyncRuns(context.db)).map((run) => ({
    id: run.id,
    recordedAt: run.started_at,
    fail: () => failInterrupted(context, run.id),
  }));
  return SYNC_HEARTBEATS.failStale(context, works, options.staleAfterMs);
}
