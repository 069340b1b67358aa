import type { IssueCode } from "../errors/codes.js";
import { tryParseAddress, type Address } from "./address.js";
import type { MappedEntry } from "./ldap-mapping.js";
import {
  checkUserChange,
  MAX_ALIASES_PER_USER,
  type RuleActor,
  type RuleTarget,
} from "./user-change-rules.js";

/**
 * Sync All's plan: what the connectors' entries mean for the account's directory. Pure: the service reads
 * the connectors and the directory, asks this, then writes the plan in one transaction.
 */

export interface SyncConnector {
  readonly id: string;
  readonly name: string;
  /** Opt-in sweep: users the connector no longer returns are deleted. */
  readonly removeMissing: boolean;
}

export interface SyncConnectorRead {
  readonly connector: SyncConnector;
  /** undefined: the connector failed, so nothing may be concluded about its users. */
  readonly entries: readonly MappedEntry[] | undefined;
}

/** One entry (or connector) Sync All skipped, and why. The run goes on. */
export interface SyncEntryError {
  connector: string;
  code: IssueCode;
  message: string;
  dn?: string;
  address?: string;
}

/** The account's directory as a sync needs it: no secrets. */
export interface SyncDirectory {
  readonly domains: ReadonlySet<string>;
  readonly users: readonly SyncUser[];
  readonly addresses: readonly SyncAddress[];
  readonly mappings: readonly SyncMapping[];
}

export interface SyncUser {
  readonly id: string;
  readonly email: string;
  readonly emailKey: string;
  readonly name: string;
  readonly type: string;
}

export interface SyncAddress {
  readonly addressKey: string;
  readonly address: string;
  readonly userId: string;
  readonly kind: string;
}

/** A user a connector brought before: joined on (connector, immutable id). */
export interface SyncMapping {
  readonly connectorId: string;
  readonly externalId: string;
  readonly userId: string;
  readonly dn: string;
  readonly missingSince: string | null;
}

/** An entry that passed the checks of its own: what the directory should hold for it. */
export interface SyncTarget {
  readonly connector: SyncConnector;
  readonly entry: MappedEntry;
  readonly primary: Address;
  readonly aliases: readonly Address[];
}

/** The entries of every connector, parsed, with duplicates within the run weeded out. */
export interface SyncEntries {
  readonly reads: readonly SyncConnectorRead[];
  readonly targets: readonly SyncTarget[];
  readonly errors: readonly SyncEntryError[];
  /** Every address key the targets claim, primary and aliases. */
  readonly addressKeys: readonly string[];
}

/** A user's identity as the audit shows it, before or after. */
export interface SyncSnapshot {
  readonly email: string;
  readonly name: string;
  readonly type: string;
  readonly aliases: readonly string[];
}

export interface SyncCreate {
  readonly action: "create";
  readonly connectorId: string;
  readonly externalId: string;
  readonly dn: string;
  readonly name: string;
  readonly primary: Address;
  readonly aliases: readonly Address[];
}

/** An existing user's new name, primary and type (a reclaim makes a Manually Imported User a Directory User). */
export interface SyncUpdate {
  readonly action: "update" | "reclaim";
  readonly userId: string;
  readonly name: string;
  readonly email: string;
  readonly emailKey: string;
  readonly before: SyncSnapshot;
  readonly after: SyncSnapshot;
}

/** A user's addresses replaced by these. */
export interface SyncAddressRewrite {
  readonly userId: string;
  readonly primary: Address;
  readonly aliases: readonly Address[];
}

export interface SyncMappingKey {
  readonly connectorId: string;
  readonly externalId: string;
}

export interface SyncPlan {
  /** Creates, updates and reclaims in entry order: the order the audit lists them. */
  readonly changes: readonly (SyncCreate | SyncUpdate)[];
  readonly addressRewrites: readonly SyncAddressRewrite[];
  /** Existing users joined to an entry by their primary address. */
  readonly adoptions: readonly (SyncMappingKey & { readonly userId: string; readonly dn: string })[];
  readonly dnChanges: readonly (SyncMappingKey & { readonly dn: string })[];
  /** Mapped users a healthy connector no longer returns, newly missing. */
  readonly flagged: readonly (SyncMappingKey & {
    readonly connectorName: string;
    readonly email: string | undefined;
  })[];
  /** Mapped users flagged before that a connector returns again. */
  readonly returning: readonly SyncMappingKey[];
  readonly removals: readonly { readonly userId: string; readonly email: string }[];
  readonly counts: {
    readonly created: number;
    readonly updated: number;
    readonly reclaimed: number;
    readonly flagged: number;
    readonly removed: number;
  };
  /** The entries' errors and then the conflicts, in the order met. */
  readonly errors: readonly SyncEntryError[];
}

// Sync acts for the organisation's directory, like the operator; the rulebook's limits still apply.
const SYNC_ACTOR: RuleActor = { roles: "all" };
const NEW_USER: RuleTarget = { roles: [], accountKind: "standalone" };

function entryError(
  connector: SyncConnector,
  entry: MappedEntry,
  code: IssueCode,
  message: string,
  address?: string,
): SyncEntryError {
  return { connector: connector.name, code, dn: entry.dn, message, ...(address ? { address } : {}) };
}

/**
 * The first step: parses every entry's addresses, keeps those in the account's domains, and skips an entry
 * whose immutable id or address another entry of the run already claimed.
 */
export function selectSyncEntries(
  reads: readonly SyncConnectorRead[],
  domains: ReadonlySet<string>,
): SyncEntries {
  const targets: SyncTarget[] = [];
  const errors: SyncEntryError[] = [];
  const claimed = new Set<string>();
  for (const { connector, entries } of reads) {
    const ids = new Set<string>();
    for (const entry of entries ?? []) {
      const skip = (code: IssueCode, message: string, address?: string): void => {
        errors.push(entryError(connector, entry, code, message, address));
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
      targets.push({ connector, entry, primary, aliases: [...aliasMap.values()] });
    }
  }
  return { reads, targets, errors, addressKeys: [...claimed] };
}

/** The claimed keys the account does not hold: they may still be taken in another account. */
export function addressKeysToCheck(entries: SyncEntries, directory: SyncDirectory): string[] {
  const held = new Set(directory.addresses.map((a) => a.addressKey));
  return entries.addressKeys.filter((key) => !held.has(key));
}

// Holds the addresses of users this run creates: their ids come with the write, and no existing user (nor
// `undefined`, a new user's own check) equals it, so the addresses are taken for every later entry.
const NEW_USER_ID = "\u0000new";

const mappingKey = (connectorId: string, externalId: string): string => `${connectorId}\u0000${externalId}`;

// Keys decide sameness; the spelling (case of the local part) counts as a change too.
const spelled = (list: readonly string[]): string => [...list].sort().join("\n");

/**
 * The second step: joins each entry to its user on (connector, immutable id), else adopts by primary address
 * only a Manually Imported User or an unmapped Directory User, else creates one; flags mapped users a healthy
 * connector no longer returns and, by the connector's opt-in, removes them. While any connector failed,
 * nothing destructive happens: a half-read directory must never look like users who left or a type that
 * should change. `takenElsewhere`: keys of `addressKeysToCheck` that another account holds.
 */
export function planSync(
  entries: SyncEntries,
  directory: SyncDirectory,
  takenElsewhere: ReadonlySet<string>,
): SyncPlan {
  const paused = entries.reads.some((r) => r.entries === undefined);
  const users = new Map(directory.users.map((u) => [u.id, u]));
  const addressByKey = new Map<string, { userId: string; kind: string }>();
  const aliasesByUser = new Map<string, string[]>();
  for (const a of directory.addresses) {
    addressByKey.set(a.addressKey, a);
    if (a.kind === "alias") {
      const list = aliasesByUser.get(a.userId);
      if (list) list.push(a.address);
      else aliasesByUser.set(a.userId, [a.address]);
    }
  }
  const mappings = new Map<string, SyncMapping>();
  const mappedUsers = new Set<string>();
  for (const m of directory.mappings) {
    mappings.set(mappingKey(m.connectorId, m.externalId), m);
    mappedUsers.add(m.userId);
  }

  const errors: SyncEntryError[] = [...entries.errors];
  const changes: (SyncCreate | SyncUpdate)[] = [];
  const addressRewrites: SyncAddressRewrite[] = [];
  const adoptions: SyncPlan["adoptions"][number][] = [];
  const dnChanges: SyncPlan["dnChanges"][number][] = [];
  const returning: SyncMappingKey[] = [];
  const seen = new Set<string>();
  const counts = { created: 0, updated: 0, reclaimed: 0, flagged: 0, removed: 0 };

  // An address is free for `userId` when nobody holds it, or that user does.
  const freeFor = (key: string, userId: string | undefined): boolean => {
    const holder = addressByKey.get(key);
    if (holder) return holder.userId === userId;
    return !takenElsewhere.has(key);
  };
  for (const { connector, entry, primary, aliases: wanted } of entries.targets) {
    const conflict = (address: string): void => {
      errors.push(
        entryError(connector, entry, "sync_address_conflict", "the address belongs to another user", address),
      );
    };
    const key = { connectorId: connector.id, externalId: entry.externalId };
    const mapping = mappings.get(mappingKey(connector.id, entry.externalId));
    let user = mapping ? users.get(mapping.userId) : undefined;
    if (!user) {
      const holder = addressByKey.get(primary.key);
      if (holder) {
        const candidate = users.get(holder.userId);
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
        adoptions.push({ ...key, userId: user.id, dn: entry.dn });
      }
    }
    if (!user) {
      if (!freeFor(primary.key, undefined)) {
        conflict(primary.address);
        continue;
      }
      const aliases = wanted.filter((a) => {
        const free = freeFor(a.key, undefined);
        if (!free) conflict(a.address);
        return free;
      });
      for (const a of aliases) addressByKey.set(a.key, { userId: NEW_USER_ID, kind: "alias" });
      addressByKey.set(primary.key, { userId: NEW_USER_ID, kind: "primary" });
      changes.push({ action: "create", ...key, dn: entry.dn, name: entry.name, primary, aliases });
      seen.add(mappingKey(connector.id, entry.externalId));
      counts.created++;
      continue;
    }

    // An existing user: mapped before, or just adopted by its primary address.
    const current = user;
    seen.add(mappingKey(connector.id, entry.externalId));
    if (mapping !== undefined && mapping.missingSince !== null) returning.push(key);
    if (mapping && mapping.dn !== entry.dn) dnChanges.push({ ...key, dn: entry.dn });
    const typeChange = current.type !== "directory";
    if (typeChange && paused) continue;
    const primaryFree = primary.key === current.emailKey || freeFor(primary.key, current.id);
    if (!primaryFree) conflict(primary.address);
    const email = primaryFree ? primary.address : current.email;
    const emailKey = primaryFree ? primary.key : current.emailKey;
    const aliases = wanted.filter((a) => {
      if (a.key === emailKey) return false;
      const free = freeFor(a.key, current.id);
      if (!free) conflict(a.address);
      return free;
    });
    const before = aliasesByUser.get(current.id) ?? [];
    const aliasesChanged = spelled(before) !== spelled(aliases.map((a) => a.address));
    const primaryChanged = current.email !== email;
    if (current.name === entry.name && !primaryChanged && !aliasesChanged && !typeChange) continue;
    if (primaryChanged || aliasesChanged) {
      addressRewrites.push({ userId: current.id, primary: tryParseAddress(email) ?? primary, aliases });
      for (const a of aliases) addressByKey.set(a.key, { userId: current.id, kind: "alias" });
      addressByKey.set(emailKey, { userId: current.id, kind: "primary" });
    }
    if (typeChange) counts.reclaimed++;
    else counts.updated++;
    changes.push({
      action: typeChange ? "reclaim" : "update",
      userId: current.id,
      name: entry.name,
      email,
      emailKey,
      before: { email: current.email, name: current.name, type: current.type, aliases: before },
      after: { email, name: entry.name, type: "directory", aliases: aliases.map((a) => a.address) },
    });
  }

  // Mark: mapped users a healthy connector no longer returns are flagged. Sweep: only by opt-in, only
  // Directory Users (an import or an administrator has since claimed the others), never while one fails.
  const flagged: SyncPlan["flagged"][number][] = [];
  const removals: SyncPlan["removals"][number][] = [];
  for (const { connector, entries: read } of entries.reads) {
    if (read === undefined) continue;
    for (const m of directory.mappings) {
      if (m.connectorId !== connector.id || seen.has(mappingKey(m.connectorId, m.externalId))) continue;
      const user = users.get(m.userId);
      if (m.missingSince === null) {
        flagged.push({
          connectorId: connector.id,
          externalId: m.externalId,
          connectorName: connector.name,
          email: user?.email,
        });
      }
      if (connector.removeMissing && !paused && user?.type === "directory") {
        removals.push({ userId: user.id, email: user.email });
      }
    }
  }
  counts.flagged = flagged.length;
  counts.removed = removals.length;
  return { changes, addressRewrites, adoptions, dnChanges, flagged, returning, removals, counts, errors };
}
