import {
  addressKeysToCheck,
  planSync,
  selectSyncEntries,
  type SyncConnectorRead,
  type SyncDirectory,
} from "../../directory/plan-sync.js";
import type { IssueCode } from "../../errors/codes.js";
import { findAccountById, type AccountRow } from "../../store/accounts-repository.js";
import { listDomainNamesOfAccounts } from "../../store/domains-repository.js";
import { eachAddressByKeys, listAccountAddresses } from "../../store/addresses-repository.js";
import { listConnectorMappings, listConnectors } from "../../store/connectors-repository.js";
import { insertSyncRun } from "../../store/sync-runs-repository.js";
import { listAccountUsersForSync } from "../../store/users-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, writeAudit, type ServiceContext, type Tx } from "../context.js";
import { readConnectors, type SyncDependencies } from "./read-connectors.js";
import { SyncErrors, type SyncError } from "./sync-errors.js";
import { writeSyncPlan } from "./write-sync-plan.js";

export type { SyncDependencies } from "./read-connectors.js";

/** The counts `mailroster sync --json` prints and sync_runs records. */
export interface SyncResult {
  created: number;
  updated: number;
  reclaimed: number;
  flagged: number;
  removed: number;
  /** The first errors (MAX_LISTED_SYNC_ERRORS at most). */
  errors: SyncError[];
  /** Every error, listed or not, and by code. */
  errorCount: number;
  errorCounts: Partial<Record<IssueCode, number>>;
}

/**
 * Sync All for one account: reads every connector (outside any transaction: the network is slow), then
 * plans and writes the whole result in one transaction with set-based writes. Joins on (connector,
 * immutable id).
 */
export async function syncAll(
  context: ServiceContext,
  request: { account?: string | undefined },
  deps: SyncDependencies,
): Promise<SyncResult> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  return syncAccount(context, account, deps);
}

/** The scheduler's Sync All: every account that has a connector, one after the other. */
export async function syncAllAccounts(
  context: ServiceContext,
  deps: SyncDependencies,
): Promise<Map<string, SyncResult>> {
  const results = new Map<string, SyncResult>();
  const accountIds = [...new Set((await listConnectors(context.db)).map((c) => c.account_id))];
  for (const accountId of accountIds) {
    const account = await findAccountById(context.db, accountId);
    if (account) results.set(account.code, await syncAccount(context, account, deps));
  }
  return results;
}

/** The account's directory as the planner reads it, inside the write transaction. */
async function loadSyncDirectory(tx: Tx, accountId: string): Promise<SyncDirectory> {
  return {
    domains: new Set(await listDomainNamesOfAccounts(tx, [accountId])),
    users: await listAccountUsersForSync(tx, accountId),
    addresses: await listAccountAddresses(tx, accountId),
    mappings: await listConnectorMappings(tx, accountId),
  };
}

function runStatus(reads: readonly SyncConnectorRead[], errors: SyncErrors): string {
  const failed = reads.filter((r) => r.entries === undefined).length;
  if (failed === 0) return errors.count === 0 ? "ok" : "partial";
  return failed === reads.length ? "failed" : "partial";
}

async function syncAccount(
  context: ServiceContext,
  account: AccountRow,
  deps: SyncDependencies,
): Promise<SyncResult> {
  const startedAt = context.now().toISOString();
  // Refuse before touching the network when the actor may not sync.
  await context.db
    .transaction()
    .execute((tx) => authorize(tx, context.actor, account.id, "run_directory_sync"));
  const errors = new SyncErrors();
  const reads = await readConnectors(await listConnectors(context.db, account.id), deps, errors);
  return context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    const directory = await loadSyncDirectory(tx, account.id);
    const entries = selectSyncEntries(reads, directory.domains);
    // Addresses not in this account may still be taken in another one: one chunked look-up.
    const takenElsewhere = new Set<string>();
    await eachAddressByKeys(tx, addressKeysToCheck(entries, directory), (a) =>
      takenElsewhere.add(a.address_key),
    );
    const plan = planSync(entries, directory, takenElsewhere);
    for (const error of plan.errors) errors.add(error);
    await writeSyncPlan(tx, context, actor, account.id, plan);
    const result: SyncResult = {
      ...plan.counts,
      errors: errors.listed,
      errorCount: errors.count,
      errorCounts: { ...errors.counts },
    };
    await insertSyncRun(tx, {
      id: newId(),
      account_id: account.id,
      started_at: startedAt,
      finished_at: context.now().toISOString(),
      status: runStatus(reads, errors),
      ...plan.counts,
      errors_json: JSON.stringify(result.errors),
    });
    const failed = reads.filter((r) => r.entries === undefined).length;
    await writeAudit(tx, context, actor, [
      {
        accountId: account.id,
        action: "directory.sync",
        after: { ...result, errors: result.errorCount, connectorsFailed: failed },
      },
    ]);
    return result;
  });
}
