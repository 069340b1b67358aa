import {
  checkUserChange,
  MAX_ALIASES_PER_USER,
  type RuleActor,
  type RuleTarget,
} from "../directory/user-change-rules.js";
import { readLdapDirectory, type DirectoryReader } from "../adapters/ldap-directory.js";
import type { SecretBox } from "../adapters/secret-box.js";
import { tryParseAddress, type Address } from "../directory/address.js";
import {
  mapEntry,
  mappingAttributes,
  parseAttributeMapping,
  type MappedEntry,
} from "../directory/ldap-mapping.js";
import { isAppError } from "../errors/app-error.js";
import type { ErrorCode } from "../errors/codes.js";
import { SyncErrors, type SyncError } from "./sync-errors.js";
import {
  deleteAddressesOfUsers,
  deleteUsers,
  findTakenAddressKeys,
  insertConnectorUsers,
  insertUsers,
  listDomainNamesOfAccount,
  insertSyncRun,
  listAccountAddresses,
  listAccountUsersForSync,
  listConnectorUsers,
  listConnectors,
  setMissingSince,
  updateConnectorUserDn,
  type ConnectorRow,
  type ConnectorUserRow,
} from "../store/sync-repository.js";
import { insertAddresses, updateUser, type AddressRow, type UserRow } from "../store/users-repository.js";
import { findAccountById, type AccountRow } from "../store/accounts-repository.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import {
  authorize,
  newId,
  writeAudit,
  type AuditEntry,
  type Authorized,
  type ServiceContext,
  type Tx,
} from "./context.js";

/** One problem of a run: a connector that failed, or an entry that was skipped. The run goes on. */
// Sync acts for the organisation's directory, like the operator; the rulebook's limits still apply.
const SYNC_ACTOR: RuleActor = { roles: "all" };
const NEW_USER: RuleTarget = { roles: [], accountKind: "standalone" };

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
  errorCounts: Partial<Record<ErrorCode, number>>;
}

export interface SyncDependencies {
  readonly secrets: SecretBox;
  /** The LDAP adapter; replaceable so the service can be driven by another directory source. */
  readonly readDirectory?: DirectoryReader;
}

interface ConnectorRead {
  readonly connector: ConnectorRow;
  /** undefined: the connector failed, so nothing may be concluded about its users. */
  readonly entries: MappedEntry[] | undefined;
}

interface SyncUser {
  id: string;
  email: string;
  email_key: string;
  name: string;
  type: string;
}

/** The directory's view of one user after this run: its primary and aliases, parsed. */
interface Target {
  readonly entry: MappedEntry;
  readonly primary: Address;
  readonly aliases: readonly Address[];
}

const snapshot = (email: string, name: string, type: string, aliases: readonly string[]): unknown => ({
  email,
  name,
  type,
  aliases,
});

async function readConnector(
  connector: ConnectorRow,
  deps: SyncDependencies,
  errors: SyncErrors,
): Promise<ConnectorRead> {
  const mapping = parseAttributeMapping(connector.attribute_map_json);
  try {
    const raw = await (deps.readDirectory ?? readLdapDirectory)({
      url: connector.url,
      startTls: connector.start_tls === 1,
      caFile: connector.ca_file,
      bindDn: connector.bind_dn,
      bindPassword: deps.secrets.open(connector.bind_password_enc, connector.id),
      baseDn: connector.base_dn,
      filter: connector.filter,
      attributes: mappingAttributes(mapping),
      binaryAttributes: mapping.id === "objectGUID" ? ["objectGUID"] : [],
    });
    const entries: MappedEntry[] = [];
    for (const entry of raw) {
      const mapped = mapEntry(entry, mapping);
      if (mapped.ok) entries.push(mapped.entry);
      else {
        errors.add({
          connector: connector.name,
          code: mapped.code,
          dn: mapped.dn,
          message: "entry skipped",
        });
      }
    }
    return { connector, entries };
  } catch (error) {
    if (!isAppError(error)) throw error;
    errors.add({ connector: connector.name, code: error.code, message: error.message });
    return { connector, entries: undefined };
  }
}

/**
 * Sync All for one account: reads every connector (outside any transaction: the network is slow), then
 * applies the whole result in one transaction with set-based writes. Joins on (connector, immutable id).
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
  const connectors = await listConnectors(context.db, account.id);
  const reads: ConnectorRead[] = [];
  for (const connector of connectors) reads.push(await readConnector(connector, deps, errors));
  return context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    const result = await applyReads(tx, context, actor, account, reads, errors);
    const failed = reads.filter((r) => r.entries === undefined).length;
    await insertSyncRun(tx, {
      id: newId(),
      account_id: account.id,
      started_at: startedAt,
      finished_at: context.now().toISOString(),
      status:
        failed === 0
          ? errors.count === 0
            ? "ok"
            : "partial"
          : failed === reads.length
            ? "failed"
            : "partial",
      created: result.created,
      updated: result.updated,
      reclaimed: result.reclaimed,
      flagged: result.flagged,
      removed: result.removed,
      errors_json: JSON.stringify(result.errors),
    });
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

async function applyReads(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  account: AccountRow,
  reads: readonly ConnectorRead[],
  errors: SyncErrors,
): Promise<SyncResult> {
  const now = context.now().toISOString();
  const result: SyncResult = {
    created: 0,
    updated: 0,
    reclaimed: 0,
    flagged: 0,
    removed: 0,
    errors: errors.listed,
    errorCount: 0,
    errorCounts: {},
  };
  // While any connector fails, nothing destructive happens for any connector: a half-read directory must
  // never look like users who left or a type that should change.
  const paused = reads.some((r) => r.entries === undefined);

  const domains = new Set(await listDomainNamesOfAccount(tx, account.id));
  const users = new Map<string, SyncUser>(
    (await listAccountUsersForSync(tx, account.id)).map((u) => [u.id, u]),
  );
  const addressByKey = new Map<string, { user_id: string; kind: string }>();
  const aliasesByUser = new Map<string, string[]>();
  for (const a of await listAccountAddresses(tx, account.id)) {
    addressByKey.set(a.address_key, a);
    if (a.kind === "alias")
      aliasesByUser.set(a.user_id, [...(aliasesByUser.get(a.user_id) ?? []), a.address]);
  }
  const mappings = new Map<string, ConnectorUserRow>();
  const mappedUsers = new Set<string>();
  for (const m of await listConnectorUsers(tx, account.id)) {
    mappings.set(`${m.connector_id}\u0000${m.external_id}`, m);
    mappedUsers.add(m.user_id);
  }

  // Parse every entry and weed out duplicates within the run; collect keys to check system-wide.
  const targets: { read: ConnectorRead; target: Target }[] = [];
  const claimed = new Set<string>();
  const unknownKeys = new Set<string>();
  // Helpers made once, not per entry: a run handles tens of thousands of entries.
  const record = (
    connector: ConnectorRow,
    entry: MappedEntry,
    code: ErrorCode,
    message: string,
    address?: string,
  ): void => {
    errors.add({ connector: connector.name, code, dn: entry.dn, message, ...(address ? { address } : {}) });
  };
  for (const read of reads) {
    const ids = new Set<string>();
    for (const entry of read.entries ?? []) {
      const skip = (code: ErrorCode, message: string, address?: string): void => {
        record(read.connector, entry, code, message, address);
      };
      if (ids.has(entry.externalId)) {
        skip("sync_entry_duplicate", "another entry has the same immutable id");
        continue;
      }
      ids.add(entry.externalId);
      const primary = tryParseAddress(entry.email);
      if (!primary) {
        skip("address_invalid", "the primary address is not an address", entry.email);
        continue;
      }
      if (!domains.has(primary.domain)) {
        skip("domain_not_internal", "the primary address is not in an internal domain", primary.address);
        continue;
      }
      if (claimed.has(primary.key)) {
        skip("sync_entry_duplicate", "another entry has the same address", primary.address);
        continue;
      }
      // Aliases outside the account's domains (e.g. a tenant's onmicrosoft.com) are not ours to hold.
      const aliasMap = new Map<string, Address>();
      for (const text of entry.aliases) {
        const alias = tryParseAddress(text);
        if (!alias || !domains.has(alias.domain) || alias.key === primary.key || claimed.has(alias.key))
          continue;
        aliasMap.set(alias.key, alias);
      }
      // The rulebook's limit holds for synchronised users too: keep the first ten, report the entry.
      const [tooMany] = checkUserChange(SYNC_ACTOR, NEW_USER, { fields: [], aliasCount: aliasMap.size });
      if (tooMany) {
        skip(
          tooMany.code,
          `${aliasMap.size} aliases; the first ${MAX_ALIASES_PER_USER} are kept`,
          primary.address,
        );
        for (const key of [...aliasMap.keys()].slice(MAX_ALIASES_PER_USER)) aliasMap.delete(key);
      }
      claimed.add(primary.key);
      for (const key of aliasMap.keys()) claimed.add(key);
      for (const key of [primary.key, ...aliasMap.keys()]) if (!addressByKey.has(key)) unknownKeys.add(key);
      targets.push({ read, target: { entry, primary, aliases: [...aliasMap.values()] } });
    }
  }
  // Addresses not in this account may still be taken in another one: one chunked look-up.
  const takenElsewhere = await findTakenAddressKeys(tx, [...unknownKeys]);

  const newUsers: UserRow[] = [];
  const newAddresses: AddressRow[] = [];
  const newMappings: ConnectorUserRow[] = [];
  const rewriteAddresses: { userId: string; target: Target }[] = [];
  const audit: AuditEntry[] = [];
  const seenByConnector = new Map<string, Set<string>>();
  const returning = new Map<string, string[]>();

  // An address is free for `userId` when nobody holds it, or that user does.
  const freeFor = (key: string, userId: string | undefined): boolean => {
    const holder = addressByKey.get(key);
    if (holder) return holder.user_id === userId;
    return !takenElsewhere.has(key);
  };
  for (const { read, target } of targets) {
    const { connector } = read;
    const { entry, primary } = target;
    const seen = seenByConnector.get(connector.id) ?? new Set<string>();
    seenByConnector.set(connector.id, seen);
    const conflict = (address: string): void => {
      record(connector, entry, "sync_address_conflict", "the address belongs to another user", address);
    };
    const mapping = mappings.get(`${connector.id}\u0000${entry.externalId}`);
    let user = mapping ? users.get(mapping.user_id) : undefined;
    if (!user) {
      const holder = addressByKey.get(primary.key);
      if (holder) {
        const candidate = users.get(holder.user_id);
        const adoptable =
          candidate !== undefined &&
          holder.kind === "primary" &&
          (candidate.type === "imported" ||
            (candidate.type === "directory" && !mappedUsers.has(candidate.id)));
        if (!candidate || !adoptable) {
          conflict(primary.address);
          continue;
        }
        // Reclaiming an imported user changes its type: destructive, so it waits while a connector fails.
        if (candidate.type !== "directory" && paused) continue;
        user = candidate;
        mappedUsers.add(user.id);
        newMappings.push({
          connector_id: connector.id,
          external_id: entry.externalId,
          account_id: account.id,
          user_id: user.id,
          dn: entry.dn,
          missing_since: null,
        });
      }
    }
    if (!user) {
      if (!freeFor(primary.key, undefined)) {
        conflict(primary.address);
        continue;
      }
      const aliases = target.aliases.filter((a) => {
        const free = freeFor(a.key, undefined);
        if (!free) conflict(a.address);
        return free;
      });
      const id = newId();
      newUsers.push({
        id,
        account_id: account.id,
        email: primary.address,
        email_key: primary.key,
        name: entry.name,
        type: "directory",
        password_hash: null,
        password_set_at: null,
        force_change_password: 0,
        password_never_expires: 0,
        locked: 0,
        pop: 0,
        submit: 0,
        created_at: now,
        updated_at: now,
      });
      newAddresses.push({
        address_key: primary.key,
        account_id: account.id,
        user_id: id,
        address: primary.address,
        kind: "primary",
      });
      for (const a of aliases) {
        newAddresses.push({
          address_key: a.key,
          account_id: account.id,
          user_id: id,
          address: a.address,
          kind: "alias",
        });
        addressByKey.set(a.key, { user_id: id, kind: "alias" });
      }
      addressByKey.set(primary.key, { user_id: id, kind: "primary" });
      newMappings.push({
        connector_id: connector.id,
        external_id: entry.externalId,
        account_id: account.id,
        user_id: id,
        dn: entry.dn,
        missing_since: null,
      });
      seen.add(entry.externalId);
      result.created++;
      audit.push({
        accountId: account.id,
        action: "user.create",
        address: primary.address,
        after: snapshot(
          primary.address,
          entry.name,
          "directory",
          aliases.map((a) => a.address),
        ),
      });
      continue;
    }

    // An existing user: mapped before, or just adopted by its primary address.
    const current = user;
    seen.add(entry.externalId);
    if (mapping !== undefined && mapping.missing_since !== null) {
      const list = returning.get(connector.id) ?? [];
      list.push(entry.externalId);
      returning.set(connector.id, list);
    }
    if (mapping && mapping.dn !== entry.dn)
      await updateConnectorUserDn(tx, connector.id, entry.externalId, entry.dn);
    const typeChange = current.type !== "directory";
    if (typeChange && paused) continue;
    const primaryFree = primary.key === current.email_key || freeFor(primary.key, current.id);
    if (!primaryFree) conflict(primary.address);
    const email = primaryFree ? primary.address : current.email;
    const emailKey = primaryFree ? primary.key : current.email_key;
    const aliases = target.aliases.filter((a) => {
      if (a.key === emailKey) return false;
      const free = freeFor(a.key, current.id);
      if (!free) conflict(a.address);
      return free;
    });
    const before = aliasesByUser.get(current.id) ?? [];
    // Keys decide sameness; the spelling (case of the local part) counts as a change too.
    const spelled = (list: readonly string[]): string => [...list].sort().join("\n");
    const aliasesChanged = spelled(before) !== spelled(aliases.map((a) => a.address));
    const primaryChanged = current.email !== email;
    const changed = current.name !== entry.name || primaryChanged || aliasesChanged || typeChange;
    if (!changed) continue;
    await updateUser(tx, current.id, {
      name: entry.name,
      email,
      email_key: emailKey,
      type: "directory",
      updated_at: now,
    });
    if (primaryChanged || aliasesChanged) {
      rewriteAddresses.push({
        userId: current.id,
        target: { entry, primary: tryParseAddress(email) ?? primary, aliases },
      });
      for (const a of aliases) addressByKey.set(a.key, { user_id: current.id, kind: "alias" });
      addressByKey.set(emailKey, { user_id: current.id, kind: "primary" });
    }
    if (typeChange) result.reclaimed++;
    else result.updated++;
    audit.push({
      accountId: account.id,
      action: typeChange ? "user.reclaim" : "user.update",
      address: email,
      before: snapshot(current.email, current.name, current.type, before),
      after: snapshot(
        email,
        entry.name,
        "directory",
        aliases.map((a) => a.address),
      ),
    });
  }

  // Set-based writes: new users, their addresses and mappings in chunks; changed users' addresses rewritten.
  await insertUsers(tx, newUsers);
  await deleteAddressesOfUsers(
    tx,
    rewriteAddresses.map((r) => r.userId),
  );
  for (const { userId, target } of rewriteAddresses) {
    newAddresses.push({
      address_key: target.primary.key,
      account_id: account.id,
      user_id: userId,
      address: target.primary.address,
      kind: "primary",
    });
    for (const a of target.aliases) {
      newAddresses.push({
        address_key: a.key,
        account_id: account.id,
        user_id: userId,
        address: a.address,
        kind: "alias",
      });
    }
  }
  await insertAddresses(tx, newAddresses);
  await insertConnectorUsers(tx, newMappings);

  // Mark: mapped users a healthy connector no longer returns are flagged; returning ones are un-flagged.
  const sweep: { userId: string; email: string }[] = [];
  for (const read of reads) {
    if (read.entries === undefined) continue;
    const { connector } = read;
    const seen = seenByConnector.get(connector.id) ?? new Set<string>();
    const flagged: string[] = [];
    for (const m of mappings.values()) {
      if (m.connector_id !== connector.id || seen.has(m.external_id)) continue;
      const user = users.get(m.user_id);
      if (m.missing_since === null) {
        flagged.push(m.external_id);
        result.flagged++;
        if (user)
          audit.push({
            accountId: account.id,
            action: "user.flag_missing",
            address: user.email,
            after: { connector: connector.name },
          });
      }
      // Sweep: only by opt-in, only Directory Users (an import or an administrator has since claimed the
      // others), and never while any connector fails.
      if (connector.remove_missing === 1 && !paused && user?.type === "directory") {
        sweep.push({ userId: user.id, email: user.email });
      }
    }
    await setMissingSince(tx, connector.id, flagged, now);
    await setMissingSince(tx, connector.id, returning.get(connector.id) ?? [], null);
  }
  if (sweep.length > 0) {
    await deleteUsers(
      tx,
      sweep.map((s) => s.userId),
    );
    result.removed = sweep.length;
    for (const s of sweep)
      audit.push({
        accountId: account.id,
        action: "user.delete",
        address: s.email,
        after: { reason: "left the directory" },
      });
  }
  await writeAudit(tx, context, actor, audit);
  result.errorCount = errors.count;
  result.errorCounts = { ...errors.counts };
  return result;
}
