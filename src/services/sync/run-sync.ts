import {
  addressKeysToCheck,
  planSync,
  selectSyncEntries,
  type SyncDirectory,
} from "../../directory/plan-sync.js";
import type { IssueCode } from "../../errors/codes.js";
import { findAccountById } from "../../store/accounts-repository.js";
import { listDomainNamesOfAccounts } from "../../store/domains-repository.js";
import { eachAddressByKeys, listAccountAddresses } from "../../store/addresses-repository.js";
import {
  listAccountIdsWithConnectors,
  listConnectorMappings,
  listConnectors,
} from "../../store/connectors-repository.js";
import { listAccountUsersForSync } from "../../store/users-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, writeAudit, type ServiceContext, type Tx } from "../context.js";
import { readConnectors, type ConnectorReads, type SyncDependencies } from "./read-connectors.js";
import { SyncErrors, type SyncError } from "./sync-errors.js";
import { connectorOutcomes, decideRunOutcome } from "./sync-run-outcome.js";
import { recordSyncRunEnd, recordSyncRunFailure, recordSyncRunStart } from "./sync-run-record.js";
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

/** The account a Sync All runs in, resolved and authorized. */
export interface SyncAccount {
  readonly accountId: string;
  readonly accountCode: string;
}

/** How far a run has come: reading its connectors (one after the other), then writing in one transaction. */
export interface SyncProgress {
  stage: "reading" | "writing";
  connectorsRead: number;
  connectors: number;
}

/** What a caller that runs Sync All in the background is told: the run's id once recorded, its progress. */
export interface SyncHooks {
  readonly onStarted?: ((runId: string) => void) | undefined;
  readonly onProgress?: ((progress: SyncProgress) => void) | undefined;
}

/**
 * The account a Sync All of `request` runs in, within the actor's reach, refused (permission_denied) before
 * any network when the actor may not sync there.
 */
export async function prepareSync(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<SyncAccount> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "run_directory_sync");
  return { accountId: account.id, accountCode: account.code };
}

/** The scheduler's accounts: every account that has a connector. */
export async function listAccountsToSync(context: ServiceContext): Promise<SyncAccount[]> {
  const accounts: SyncAccount[] = [];
  for (const id of await listAccountIdsWithConnectors(context.db)) {
    const account = await findAccountById(context.db, id);
    if (account) accounts.push({ accountId: account.id, accountCode: account.code });
  }
  return accounts;
}

/**
 * Sync All for one account: records the run, reads every connector (outside any transaction: the network
 * is slow), then plans and writes the whole result in one transaction with set-based writes, finishing the
 * run's record in it. Joins on (connector, immutable id).
 */
export async function syncAll(
  context: ServiceContext,
  request: { account?: string | undefined },
  deps: SyncDependencies,
  hooks: SyncHooks = {},
): Promise<SyncResult> {
  return syncAccount(context, await prepareSync(context, request), deps, hooks);
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

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sync All of an account resolved by prepareSync (or listed by listAccountsToSync for the operator). */
export async function syncAccount(
  context: ServiceContext,
  account: SyncAccount,
  deps: SyncDependencies,
  hooks: SyncHooks = {},
): Promise<SyncResult> {
  // Refuse before touching the network when the actor may not sync.
  await authorize(context.db, context.actor, account.accountId, "run_directory_sync");
  const connectors = await listConnectors(context.db, account.accountId);
  const runId = await recordSyncRunStart(context, account.accountId, connectors.length);
  hooks.onStarted?.(runId);
  const progress = (stage: SyncProgress["stage"], connectorsRead: number): void => {
    hooks.onProgress?.({ stage, connectorsRead, connectors: connectors.length });
  };
  try {
    progress("reading", 0);
    const errors = new SyncErrors();
    const read = await readConnectors(connectors, deps, errors, (done) => {
      progress("reading", done);
    });
    progress("writing", connectors.length);
    return await writeRun(context, account.accountId, runId, read, errors);
  } catch (error) {
    // The run's writes are one transaction: it wrote nothing. The record says why; the caller learns it too.
    await recordSyncRunFailure(
      context,
      runId,
      "sync_failed",
      `Sync All stopped on a server error: ${reasonOf(error)}`,
    ).catch(() => false);
    throw error;
  }
}

async function writeRun(
  context: ServiceContext,
  accountId: string,
  runId: string,
  { reads, failures }: ConnectorReads,
  errors: SyncErrors,
): Promise<SyncResult> {
  return context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, context.actor, accountId, "run_directory_sync");
    const directory = await loadSyncDirectory(tx, accountId);
    const entries = selectSyncEntries(reads, directory.domains);
    // Addresses not in this account may still be taken in another one: one chunked look-up.
    const takenElsewhere = new Set<string>();
    await eachAddressByKeys(tx, addressKeysToCheck(entries, directory), (a) =>
      takenElsewhere.add(a.address_key),
    );
    const plan = planSync(entries, directory, takenElsewhere);
    for (const error of plan.errors) errors.add(error);
    await writeSyncPlan(tx, context, actor, accountId, plan);
    const result: SyncResult = {
      ...plan.counts,
      errors: errors.listed,
      errorCount: errors.count,
      errorCounts: { ...errors.counts },
    };
    await recordSyncRunEnd(tx, context, runId, {
      outcome: decideRunOutcome(reads, errors.count),
      counts: plan.counts,
      errors: result.errors,
      errorCount: result.errorCount,
      errorCounts: result.errorCounts,
      connectors: connectorOutcomes(reads, failures),
    });
    const failed = reads.filter((r) => r.entries === undefined).length;
    await writeAudit(tx, context, actor, [
      {
        accountId,
        action: "directory.sync",
        after: { ...result, errors: result.errorCount, connectorsFailed: failed, runId },
      },
    ]);
    return result;
  });
}
