import type { RecipientValidation } from "../directory/account.js";
import { describePasswordRules, type PasswordPolicy } from "../directory/password-policy.js";
import { ROLES, type Permission } from "../directory/roles.js";
import type { AccountRow } from "../store/accounts-repository.js";
import { listDomainsOfAccount } from "../store/domains-repository.js";
import { listAttributeUsage } from "../store/attributes-repository.js";
import { resolveAccountWithinReach, resolveAuthorizedAccount } from "./account-lookup.js";
import type { ServiceContext } from "./context.js";
import type { DomainView } from "./accounts-service.js";
import { loadPasswordPolicy } from "./password-policy-service.js";
import type { GroupView } from "./groups-service.js";
import { parseGroupPath } from "../directory/group-path.js";
import { AppError } from "../errors/app-error.js";
import { countGroupMembers, findGroupsByPathKeys, listGroupsWithCounts } from "../store/groups-repository.js";
import { pageUserSearch, prepareUserSearch } from "../store/search-repository.js";
import { findUsersByIds } from "../store/users-repository.js";
import { LIST_COUNT_CAP, readKeysetPage, type KeysetPage } from "./keyset-cursor.js";

// Read-only views the console and API show, each behind the permission that manages what it shows.

/** The account a view names (or the only one), once the actor holds `permission` there. */
async function viewedAccount(
  context: ServiceContext,
  code: string | undefined,
  permission: Permission,
): Promise<AccountRow> {
  const { account } = await resolveAuthorizedAccount(context.db, context.actor, code, permission);
  return account;
}

export interface GroupNodeView {
  path: string;
  name: string;
  parent: string | null;
  /** Direct members. */
  members: number;
  /** Members of the group and every group under it (memberships: a user in two subgroups counts twice). */
  totalMembers: number;
}

/** The account's profile groups, parents before children (ordered by path). */
export async function listGroupTree(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<GroupNodeView[]> {
  const account = await viewedAccount(context, request.account, "manage_groups");
  const rows = await listGroupsWithCounts(context.db, account.id);
  const pathById = new Map(rows.map((row) => [row.id, row.path]));
  // Children come after their parents (ordered by path): adding each count up its chain of parents, read in
  // reverse, totals every subtree in one pass.
  const parentOf = new Map(rows.map((row) => [row.id, row.parent_id]));
  const totals = new Map(rows.map((row) => [row.id, 0]));
  for (const row of rows) {
    for (let id: string | null | undefined = row.id; id !== null && id !== undefined; id = parentOf.get(id)) {
      totals.set(id, (totals.get(id) ?? 0) + Number(row.members));
    }
  }
  return rows.map((row) => ({
    path: row.path,
    name: row.name,
    parent: row.parent_id === null ? null : (pathById.get(row.parent_id) ?? null),
    members: Number(row.members),
    totalMembers: totals.get(row.id) ?? 0,
  }));
}

/** A page of a group's direct members by address, for an administrator who may manage groups. */
export async function showGroupMembers(
  context: ServiceContext,
  request: {
    path: string;
    account?: string | undefined;
    cursor?: string | undefined;
    limit?: number | undefined;
  },
): Promise<GroupView & Omit<KeysetPage<string>, "items">> {
  const account = await viewedAccount(context, request.account, "manage_groups");
  const path = parseGroupPath(request.path);
  const [group] = await findGroupsByPathKeys(context.db, account.id, [path.key]);
  if (!group) throw new AppError("group_not_found", `No group "${path.path}".`, { path: path.path });
  const query = await prepareUserSearch(context.db, {
    accountId: account.id,
    text: "",
    field: "any",
    groupIds: [group.id],
    sort: "address",
  });
  const page = await readKeysetPage({
    list: "group-members",
    cursor: request.cursor,
    limit: request.limit ?? 200,
    fetch: (keyset) => pageUserSearch(context.db, query, keyset),
    position: (row) => [...row.position],
  });
  const users = new Map(
    (
      await findUsersByIds(
        context.db,
        page.rows.map((r) => r.userId),
      )
    ).map((u) => [u.id, u]),
  );
  const total = await countGroupMembers(context.db, group.id, LIST_COUNT_CAP);
  return {
    path: group.path,
    members: page.rows.flatMap((r) => users.get(r.userId)?.email ?? []),
    nextCursor: page.nextCursor,
    prevCursor: page.prevCursor,
    total,
    totalCapped: total >= LIST_COUNT_CAP,
  };
}

export interface AttributeView {
  name: string;
  users: number;
}

export async function listAttributes(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<AttributeView[]> {
  const account = await viewedAccount(context, request.account, "manage_users");
  return (await listAttributeUsage(context.db, account.id)).map((row) => ({
    name: row.name,
    users: Number(row.users),
  }));
}

export async function listDomains(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<DomainView[]> {
  const account = await viewedAccount(context, request.account, "manage_domains");
  return (await listDomainsOfAccount(context.db, account.id)).map((row) => ({
    domain: row.name,
    account: account.code,
    recipientValidation: row.recipient_validation as RecipientValidation,
  }));
}

export async function getPasswordPolicy(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<{ account: string; policy: PasswordPolicy }> {
  const account = await viewedAccount(context, request.account, "manage_policy");
  return { account: account.code, policy: await loadPasswordPolicy(context.db, account.id) };
}

/**
 * The password rules in force in an account, in words, for the text beside a password field. Anyone signed
 * in (even before a forced password change) may read the rules of an account within reach: they are what
 * every password set there must meet, not a secret; changing them still needs manage_policy.
 */
export async function listPasswordRules(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<{ account: string; rules: { code: string; text: string }[] }> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  const policy = await loadPasswordPolicy(context.db, account.id);
  return { account: account.code, rules: describePasswordRules(policy) };
}

export interface RoleView {
  id: string;
  name: string;
  protected: boolean;
  masterOnly: boolean;
  permissions: Permission[];
}

/** The built-in roles: the same for everyone, so any signed-in administrator may read them. */
export function listRoles(): RoleView[] {
  return ROLES.map((role) => ({
    id: role.id,
    name: role.name,
    protected: role.protected,
    masterOnly: role.masterOnly,
    permissions: [...role.permissions],
  }));
}
