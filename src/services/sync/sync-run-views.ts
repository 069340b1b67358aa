import type { SyncRunListRow, SyncRunRow } from "../../store/sync-runs-repository.js";
import type { SyncError } from "./sync-errors.js";
import type {
  SyncConnectorOutcome,
  SyncRunListItem,
  SyncRunResult,
  SyncRunState,
} from "./sync-view-schemas.js";

export { SYNC_RUN_STATES } from "./sync-view-schemas.js";
export type {
  SyncConnectorOutcome,
  SyncRunListItem,
  SyncRunResult,
  SyncRunState,
} from "./sync-view-schemas.js";

/** One run with its first errors (services/sync/sync-errors.ts bounds them). */
export interface SyncRunView extends SyncRunListItem {
  errors: SyncError[];
}

export function connectorReadsOf(row: Pick<SyncRunListRow, "connectors_json">): SyncConnectorOutcome[] {
  return JSON.parse(row.connectors_json) as SyncConnectorOutcome[];
}

function resultOf(status: string): SyncRunResult | null {
  return status === "ok" || status === "partial" || status === "failed" ? status : null;
}

export function mapSyncRunListItem(row: SyncRunListRow, accountCode: string): SyncRunListItem {
  return {
    runId: row.id,
    account: accountCode,
    state: row.state as SyncRunState,
    result: row.state === "running" ? null : resultOf(row.status),
    by: row.actor,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    connectorCount: row.connector_count,
    connectors: connectorReadsOf(row),
    created: row.created,
    updated: row.updated,
    reclaimed: row.reclaimed,
    flagged: row.flagged,
    removed: row.removed,
    errorCount: row.error_count,
    errorCounts: JSON.parse(row.error_counts_json) as Record<string, number>,
    failure:
      row.failure_code === null ? null : { code: row.failure_code, message: row.failure_message ?? "" },
  };
}

export function mapSyncRun(row: SyncRunRow, accountCode: string): SyncRunView {
  return { ...mapSyncRunListItem(row, accountCode), errors: JSON.parse(row.errors_json) as SyncError[] };
}
