import { listPathChain, parseGroupPath, type GroupPath } from "../directory/group-path.js";
import { AppError } from "../errors/app-error.js";
import {
  countChildGroups,
  deleteGroupById,
  deleteGroupMembersBulk,
  findGroupsByPathKeys,
  insertGroup,
  insertGroupMembers,
  listGroupMemberEmails,
  updateGroupPath,
  type GroupRow,
} from "../store/groups-repository.js";
import { findUsersByIds } from "../store/users-repository.js";
import { assertUserChange } from "./users/assert-user-change.js";
import { findAddressesByKeys } from "../store/addresses-repository.js";
import { parseAddress } from "../directory/address.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import { authorize, newId, writeAudit, type Authorized, type ServiceContext, type Tx } from "./context.js";

/** Finds or creates the group at `path` and its missing parents; returns it and the paths it created. */
export async function ensureGroupPath(
  tx: Tx,
  accountId: string,
  path: GroupPath,
): Promise<{ group: GroupRow; created: string[] }> {
  const chain = listPathChain(path);
  const existing = new Map(
    (
      await findGroupsByPathKeys(
        tx,
        accountId,
        chain.map((p) => p.key),
      )
    ).map((g) => [g.path_key, g]),
  );
  const created: string[] = [];
  let parent: GroupRow | undefined;
  for (const link of chain) {
    let group = existing.get(link.key);
    if (!group) {
      group = {
        id: newId(),
        account_id: accountId,
        parent_id: parent?.id ?? null,
        name: link.segments[link.segments.length - 1] ?? link.path,
        path: link.path,
        path_key: link.key,
      };
      await insertGroup(tx, group);
      created.push(link.path);
    }
    parent = group;
  }
  // The chain is never empty: parseGroupPath refuses an empty path.
  if (!parent) throw new Error("ensureGroupPath: empty path");
  return { group: parent, created };
}

export async function auditCreatedGroups(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  accountId: string,
  created: readonly string[],
): Promise<void> {
  await writeAudit(
    tx,
    context,
    actor,
    created.map((path) => ({ accountId, action: "group.create", after: { path } })),
  );
}

/** `groups add PATH`: creates the group and its missing parents. */
export async function createGroup(
  context: ServiceContext,
  request: { path: string; account?: string | undefined },
): Promise<{ path: string; created: string[] }> {
  const path = parseGroupPath(request.path);
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_groups");
    const { group, created } = await ensureGroupPath(tx, account.id, path);
    await auditCreatedGroups(tx, context, actor, account.id, created);
    return { path: group.path, created };
  });
}

export interface GroupView {
  path: string;
  members: string[];
}

export async function showGroup(
  context: ServiceContext,
  request: { path: string; account?: string | undefined },
): Promise<GroupView> {
  const path = parseGroupPath(request.path);
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  const [group] = await findGroupsByPathKeys(context.db, account.id, [path.key]);
  if (!group) throw new AppError("group_not_found", `No group "${path.path}".`, { path: path.path });
  return { path: group.path, members: await listGroupMemberEmails(context.db, group.id) };
}

/** Adds users (by primary address or alias) to a group, creating the path if needed. */
export async function addGroupMembers(
  context: ServiceContext,
  request: { path: string; members: readonly string[]; account?: string | undefined },
): Promise<GroupView> {
  const path = parseGroupPath(request.path);
  const keys = request.members.map((m) => parseAddress(m).key);
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_groups");
    const { group, created } = await ensureGroupPath(tx, account.id, path);
    await auditCreatedGroups(tx, context, actor, account.id, created);
    const found = new Map((await findAddressesByKeys(tx, keys)).map((a) => [a.address_key, a]));
    const rows = keys.map((key) => {
      const address = found.get(key);
      if (address?.account_id !== account.id) {
        throw new AppError("user_not_found", `No user ${key} in account ${account.code}.`, { address: key });
      }
      return { account_id: account.id, group_id: group.id, user_id: address.user_id };
    });
    await insertGroupMembers(tx, rows);
    await writeAudit(
      tx,
      context,
      actor,
      keys.map((key) => ({
        accountId: account.id,
        action: "group.add_member",
        address: key,
        after: { path: group.path },
      })),
    );
    return { path: group.path, members: await listGroupMemberEmails(tx, group.id) };
  });
}

/**
 * Adds and removes members (by user id) of a group the caller holds, inside their transaction: each member
 * must be a user of the group's account, and the rulebook is asked for each as for a change of their groups
 * (an import row's group cell is asked the same). Audited per member.
 */
export async function changeGroupMembersWithin(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  group: GroupRow,
  change: { add: readonly string[]; remove: readonly string[] },
): Promise<void> {
  const users = new Map((await findUsersByIds(tx, [...change.add, ...change.remove])).map((u) => [u.id, u]));
  for (const id of [...change.add, ...change.remove]) {
    const user = users.get(id);
    if (user?.account_id !== group.account_id) {
      throw new AppError("user_not_found", `No user ${id} in the group's account.`, { address: id });
    }
    await assertUserChange(tx, actor, group.account_id, id, { fields: ["groups"] });
  }
  await insertGroupMembers(
    tx,
    change.add.map((id) => ({ account_id: group.account_id, group_id: group.id, user_id: id })),
  );
  await deleteGroupMembersBulk(tx, group.id, change.remove);
  const entry = (id: string, action: string) => ({
    accountId: group.account_id,
    action,
    address: users.get(id)?.email,
    after: { path: group.path },
  });
  await writeAudit(tx, context, actor, [
    ...change.add.map((id) => entry(id, "group.add_member")),
    ...change.remove.map((id) => entry(id, "group.remove_member")),
  ]);
}

/** Moves a group without nested groups to a new path (its parents made as needed); members stay. */
export async function renameGroupWithin(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  group: GroupRow,
  newPath: string,
): Promise<GroupRow> {
  const path = parseGroupPath(newPath);
  if (path.key === group.path_key) return group;
  if ((await findGroupsByPathKeys(tx, group.account_id, [path.key])).length > 0) {
    throw new AppError("group_path_invalid", `A group "${path.path}" exists already.`, { path: path.path });
  }
  if ((await countChildGroups(tx, group.id)) > 0) {
    throw new AppError("group_path_invalid", `"${group.path}" holds nested groups: move them first.`, {
      path: group.path,
    });
  }
  const chain = listPathChain(path);
  const parentLink = chain[chain.length - 2];
  let parentId: string | null = null;
  if (parentLink) {
    const { group: parent, created } = await ensureGroupPath(tx, group.account_id, parentLink);
    await auditCreatedGroups(tx, context, actor, group.account_id, created);
    parentId = parent.id;
  }
  const change = {
    parent_id: parentId,
    name: path.segments[path.segments.length - 1] ?? path.path,
    path: path.path,
    path_key: path.key,
  };
  await updateGroupPath(tx, group.id, change);
  await writeAudit(tx, context, actor, [
    {
      accountId: group.account_id,
      action: "group.rename",
      before: { path: group.path },
      after: { path: path.path },
    },
  ]);
  return { ...group, ...change };
}

/** Deletes a group without nested groups; its memberships go with it. */
export async function deleteGroupWithin(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  group: GroupRow,
): Promise<void> {
  if ((await countChildGroups(tx, group.id)) > 0) {
    throw new AppError("group_path_invalid", `"${group.path}" holds nested groups: delete them first.`, {
      path: group.path,
    });
  }
  await deleteGroupById(tx, group.id);
  await writeAudit(tx, context, actor, [
    { accountId: group.account_id, action: "group.delete", before: { path: group.path } },
  ]);
}
