import { parseAccountKind } from "../../directory/account.js";
import { listSubtree } from "../../directory/account-tree.js";
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from "../../directory/password-policy.js";
import { isRoleId, type RoleId } from "../../directory/roles.js";
import type { DirectoryFacts, ExistingUser } from "../../import/directory-facts.js";
import type { ParsedRow } from "../../import/read-rows.js";
import { listAccounts, type AccountRow } from "../../store/accounts-repository.js";
import { eachAddressByKeys, eachAliasCountByUserIds } from "../../store/addresses-repository.js";
import {
  eachAttributeValueByUserIds,
  findAttributeDefinitionsOfAccounts,
  type AttributeDefinitionRow,
} from "../../store/attributes-repository.js";
import { findGroupsByPathKeys, loadGroupMembers } from "../../store/groups-repository.js";
import { findRolesByUserIds } from "../../store/roles-repository.js";
import { loadUsersByIds, type ImportedUserFacts } from "../../store/users-repository.js";
import { listDomainOwners } from "../../store/domains-repository.js";
import type { Authorized, ServiceContext } from "../context.js";
import { loadPasswordPolicy } from "../password-policy-service.js";

/** The plan's facts, and what the save needs beside them. */
export interface LoadedFacts {
  readonly facts: DirectoryFacts;
  readonly definitions: readonly AttributeDefinitionRow[];
  readonly groupId: string | undefined;
}

/** Loads what the plan needs for every address of the file in a fixed number of bulk queries. */
export async function loadDirectoryFacts(
  context: ServiceContext,
  account: AccountRow,
  actor: Authorized,
  rows: readonly ParsedRow[],
  groupKey: string | undefined,
  override: "add" | "overwrite",
): Promise<LoadedFacts> {
  const db = context.db;
  const accounts = await listAccounts(db);
  const subtree = listSubtree(
    accounts.map((a) => ({ ...a, parentId: a.parent_id })),
    account.id,
  );
  const within = new Set(subtree.map((a) => a.id));
  const nested = new Map(
    subtree
      .filter((a) => a.id !== account.id)
      .map((a) => [a.code_key, { id: a.id, code: a.code, kind: parseAccountKind(a.kind) }]),
  );
  const domains = new Map(
    (await listDomainOwners(db)).map((d) => [
      d.name,
      { accountId: d.account_id, recipientValidation: d.recipient_validation },
    ]),
  );
  const policies = new Map<string, PasswordPolicy>();
  for (const accountId of within) policies.set(accountId, await loadPasswordPolicy(db, accountId));

  const keys = rows.flatMap((r) => [r.email.key, ...r.aliases.map((a) => a.address.key)]);
  // A re-import of 65,535 users meets about a million stored rows: they are folded into maps as they
  // arrive, and each user id is kept once (the driver makes a new string per row), not once per row.
  const userIdOnce = new Map<string, string>();
  const once = (id: string): string => {
    const kept = userIdOnce.get(id);
    if (kept !== undefined) return kept;
    userIdOnce.set(id, id);
    return id;
  };
  const addresses = new Map<string, { userId: string; kind: string }>();
  await eachAddressByKeys(db, keys, (a) => {
    addresses.set(a.address_key, { userId: once(a.user_id), kind: a.kind });
  });
  const userIds = [...userIdOnce.keys()];
  const users = await loadUsersByIds(db, userIds);
  const attributes = new Map<string, Map<string, string>>();
  const nameKeyOnce = new Map<string, string>();
  await eachAttributeValueByUserIds(db, userIds, (v) => {
    const userId = once(v.user_id);
    let map = attributes.get(userId);
    if (!map) attributes.set(userId, (map = new Map<string, string>()));
    let nameKey = nameKeyOnce.get(v.name_key);
    if (nameKey === undefined) nameKeyOnce.set(v.name_key, (nameKey = v.name_key));
    map.set(nameKey, v.value);
  });
  const roles = await findRolesByUserIds(db, userIds);
  // The ten-alias limit counts what each user already holds, for the users whose rows name aliases (no
  // other row can add one): one grouped count per chunk of them, none for a file without alias columns.
  const aliasCounts = new Map<string, number>();
  const naming = new Set<string>();
  for (const r of rows) {
    const owner = r.aliases.length > 0 ? addresses.get(r.email.key) : undefined;
    if (owner) naming.add(owner.userId);
  }
  await eachAliasCountByUserIds(db, [...naming], (c) => aliasCounts.set(once(c.user_id), c.aliases));
  const existing = buildExistingUsers(users, attributes, roles, aliasCounts, once);
  const definitions = await findAttributeDefinitionsOfAccounts(db, [...within]);
  const attributeKeys = new Map<string, Set<string>>();
  for (const d of definitions) {
    const set = attributeKeys.get(d.account_id) ?? new Set<string>();
    set.add(d.name_key);
    attributeKeys.set(d.account_id, set);
  }
  let group: DirectoryFacts["group"];
  let groupId: string | undefined;
  if (groupKey !== undefined) {
    const [row] = await findGroupsByPathKeys(db, account.id, [groupKey]);
    if (row) {
      groupId = row.id;
      // Overwrite removes every member the file does not name: it needs them all. Add only asks whether the
      // file's existing users are members (a group of a million read on every import took 2.1 s).
      const members = await loadGroupMembers(db, row.id, override === "overwrite" ? undefined : userIds);
      group = { path: row.path, override, members: new Map(members.map((m) => [m.user_id, m.email])) };
    }
  }
  return {
    facts: {
      account: { id: account.id, code: account.code, kind: parseAccountKind(account.kind) },
      domains,
      nestedAccounts: nested,
      policies,
      defaultPolicy: DEFAULT_PASSWORD_POLICY,
      isCommonPassword: context.isCommonPassword,
      actorRoles: actor.roles,
      addresses,
      users: existing,
      attributeKeys,
      group,
    },
    definitions,
    groupId,
  };
}

function buildExistingUsers(
  users: readonly ImportedUserFacts[],
  attributes: ReadonlyMap<string, Map<string, string>>,
  roles: readonly { user_id: string; role: string }[],
  aliasCounts: ReadonlyMap<string, number>,
  once: (id: string) => string,
): Map<string, ExistingUser> {
  const roleIds = new Map<string, RoleId[]>();
  for (const r of roles) {
    if (!isRoleId(r.role)) continue;
    const list = roleIds.get(once(r.user_id)) ?? [];
    list.push(r.role);
    roleIds.set(once(r.user_id), list);
  }
  return new Map(
    users.map((u) => [
      once(u.id),
      {
        id: once(u.id),
        accountId: once(u.account_id),
        email: u.email,
        name: u.name,
        type: u.type,
        flags: {
          changepassword: u.force_change_password === 1,
          passwordneverexpire: u.password_never_expires === 1,
          accountlockedout: u.locked === 1,
          pop: u.pop === 1,
          submit: u.submit === 1,
        },
        attributes: attributes.get(u.id) ?? new Map(),
        roles: roleIds.get(u.id) ?? [],
        aliasCount: aliasCounts.get(u.id),
      },
    ]),
  );
}
