import type { SyncConnectorRead } from "../../directory/plan-sync.js";
import type { SyncConnectorOutcome, SyncRunResult, SyncRunState } from "./sync-run-views.js";

/** How a run that read its connectors ends: its state, its result and, when it failed, why. */
export interface SyncRunOutcome {
  readonly state: Exclude<SyncRunState, "running">;
  readonly result: SyncRunResult;
  readonly failure: { readonly code: "sync_connectors_failed"; readonly message: string } | null;
}

/**
 * A run fails when it had connectors and none could be read: nothing may be concluded, so nothing was
 * changed. Otherwise it is done: `ok` when every connector was read and nothing was skipped, else `partial`.
 */
export function decideRunOutcome(reads: readonly SyncConnectorRead[], errorCount: number): SyncRunOutcome {
  const failed = reads.filter((r) => r.entries === undefined).length;
  if (reads.length > 0 && failed === reads.length) {
    return {
      state: "failed",
      result: "failed",
      failure: {
        code: "sync_connectors_failed",
        message:
          reads.length === 1
            ? "The connector could not be read; nothing was changed. Test it and correct its settings."
            : `None of the ${reads.length} connectors could be read; nothing was changed. Test them and correct their settings.`,
      },
    };
  }
  return { state: "done", result: failed === 0 && errorCount === 0 ? "ok" : "partial", failure: null };
}

/** Each connector's outcome as the run records it (what GET /connectors shows as its last run). */
export function connectorOutcomes(
  reads: readonly SyncConnectorRead[],
  failures: ReadonlyMap<string, string>,
): SyncConnectorOutcome[] {
  return reads.map(({ connector, entries }) => ({
    id: connector.id,
    name: connector.name,
    entries: entries === undefined ? null : entries.length,
    error: entries === undefined ? (failures.get(connector.id) ?? null) : null,
  }));
}
