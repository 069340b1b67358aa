import type { RecipientValidation } from "../directory/account.js";
import type { PasswordPolicy } from "../directory/password-policy.js";
import { ROLES, type Permission } from "../directory/roles.js";
import { listDomainsOfAccount } from "../store/domains-repository.js";
import { listGroupsWithCounts } from "../store/groups-repository.js";
import { listAttributeUsage } from "../store/attributes-repository.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import { authorize, type ServiceContext } from "./context.js";
import type { DomainView } from "./accounts-service.js";
import { loadPasswordPolicy } from "./password-policy-service.js";
import { showGroup, type GroupView } from "./groups-service.js";

// Read-only views the console and API show, each behind the permission that manages what it shows.

export interface GroupNodeView {
  path: string;
  name: string;
  parent: string | null;
  members: number;
}

/** The account's profile groups, parents before children (ordered by path). */
export async function listGroupTree(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<GroupNodeView[]> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_groups");
  const rows = await listGroupsWithCounts(context.db, account.id);
  const pathById = new Map(rows.map((row) => [row.id, row.path]));
  return rows.map((row) => ({
    path: row.path,
    name: row.name,
    parent: row.parent_id === null ? null : (pathById.get(row.parent_id) ?? null),
    members: Number(row.members),
  }));
}

/** A group's members, for an administrator who may manage groups (the CLI's showGroup is the operator's). */
export async function showGroupMembers(
  context: ServiceContext,
  request: { path: string; account?: string | undefined },
): Promise<GroupView> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_groups");
  return showGroup(context, { path: request.path, account: account.code });
}

export interface AttributeView {
  name: string;
  users: number;
}

export async function listAttributes(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<AttributeView[]> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_users");
  return (await listAttributeUsage(context.db, account.id)).map((row) => ({
    name: row.name,
    users: Number(row.users),
  }));
}

export async function listDomains(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<DomainView[]> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_domains");
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
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_policy");
  return { account: account.code, policy: await loadPasswordPolicy(context.db, account.id) };
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
