import { parseAttributeName } from "../directory/attribute-name.js";
import { AppError } from "../errors/app-error.js";
import { pageAuditRows } from "../store/audit-repository.js";
import { findAccountById } from "../store/accounts-repository.js";
import { deleteSignInFailures } from "../store/console-sessions-repository.js";
import {
  findAddressesByKeys,
  findUsersByIds,
  searchUserIds,
  type UserSearchField,
} from "../store/users-repository.js";
import { addressKey } from "../directory/address.js";
import { isWithinReach, resolveAccountWithinReach } from "./account-lookup.js";
import { mapAuditRow, type AuditView } from "./audit-service.js";
import { endCredentialsOf } from "./auth-service.js";
import { authorize, type ServiceContext } from "./context.js";
import { loadUserViews, type UserView } from "./user-view.js";
import { getUser, prepareUsers, saveUsers, saveUsersWithin, type UserInput } from "./users-service.js";

// The console's and API's user actions. Each authorises the caller against the user's own account, so an
// administrator reaches only their account and those nested under it.

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export async function searchUsers(
  context: ServiceContext,
  request: {
    account?: string | undefined;
    text?: string | undefined;
    field?: UserSearchField | undefined;
    attribute?: string | undefined;
    page: number;
    pageSize: number;
  },
): Promise<Page<UserView>> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_users");
  const field = request.field ?? "any";
  const attributeKey =
    request.attribute === undefined || request.attribute.trim() === ""
      ? undefined
      : parseAttributeName(request.attribute).key;
  const { ids, total } = await searchUserIds(context.db, {
    accountId: account.id,
    text: (request.text ?? "").trim().toLowerCase(),
    field: attributeKey === undefined ? field : "attribute",
    attributeKey,
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  const views = await loadUserViews(context.db, ids);
  const items = ids.flatMap((id) => {
    const view = views.get(id);
    return view ? [view] : [];
  });
  return { items, total, page: request.page, pageSize: request.pageSize };
}

/**
 * The user at any of their addresses, and the id of their account; refuses `user_not_found`, also for a user
 * outside the actor's reach (another account tree), with the same message and details: a 403 there would
 * tell other tenants' users apart from missing ones. Within reach, `authorize` decides (403 if not allowed).
 */
async function findTarget(
  context: ServiceContext,
  address: string,
): Promise<{ userId: string; accountId: string; email: string }> {
  const [found] = await findAddressesByKeys(context.db, [addressKey(address)]);
  if (!found || !(await isWithinReach(context.db, context.actor, found.account_id))) {
    throw new AppError("user_not_found", `No user has the address ${address}.`, { address });
  }
  const user = await getUser(context, address);
  return { userId: found.user_id, accountId: found.account_id, email: user.email };
}

export async function showUser(context: ServiceContext, address: string): Promise<UserView> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "manage_users");
  return getUser(context, target.email);
}

/** What the console's Edit form may change; security fields go through the same protected-role check. */
export type UserChanges = Omit<UserInput, "email" | "password" | "type">;

export async function createManualUser(
  context: ServiceContext,
  request: UserChanges & {
    email: string;
    name: string;
    password?: string | undefined;
    account?: string | undefined;
  },
): Promise<UserView> {
  const { account, ...input } = request;
  await saveUsers(context, { account, createOnly: true, users: [{ ...input, type: "manual" }] });
  return getUser(context, request.email);
}

/** Edits a user; locking one who was not locked ends their sessions and API tokens in the same change. */
export async function updateUserDetails(
  context: ServiceContext,
  address: string,
  changes: UserChanges,
): Promise<UserView> {
  const target = await findTarget(context, address);
  const prepared = await prepareUsers(context, { users: [{ ...changes, email: target.email }] });
  await context.db.transaction().execute(async (tx) => {
    const [before] = await findUsersByIds(tx, [target.userId]);
    await saveUsersWithin(tx, context, prepared);
    const locking = changes.locked === true && before?.locked === 0;
    if (locking) await endCredentialsOf(tx, context, target, "locked");
  });
  return getUser(context, target.email);
}

/**
 * An administrator sets a user's password (by default the user must change it at next sign-in); every
 * session and API token of the user ends with the old password.
 */
export async function setUserPassword(
  context: ServiceContext,
  address: string,
  request: { password: string; forceChangePassword?: boolean | undefined },
): Promise<UserView> {
  const target = await findTarget(context, address);
  const prepared = await prepareUsers(context, {
    users: [
      {
        email: target.email,
        password: request.password,
        forceChangePassword: request.forceChangePassword ?? true,
      },
    ],
  });
  // Whoever knew the old password (or holds a session or token made with it) is out, in the same change.
  await context.db.transaction().execute(async (tx) => {
    await saveUsersWithin(tx, context, prepared);
    await endCredentialsOf(tx, context, target, "password_set");
  });
  return getUser(context, target.email);
}

/** Lifts a lock (an administrator's or the policy's lockout) and forgets the failed sign-ins, in one change. */
export async function unlockUser(context: ServiceContext, address: string): Promise<UserView> {
  const target = await findTarget(context, address);
  const prepared = await prepareUsers(context, { users: [{ email: target.email, locked: false }] });
  await context.db.transaction().execute(async (tx) => {
    await saveUsersWithin(tx, context, prepared);
    await deleteSignInFailures(tx, target.userId);
  });
  return getUser(context, target.email);
}

/** The audit trail of one user (changes to them, by address), newest first. */
export async function listUserAudit(
  context: ServiceContext,
  address: string,
  request: { page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "view_audit");
  return pageAudit(context, target.accountId, target.email, request);
}

/** The account's audit log, newest first. */
export async function listAccountAudit(
  context: ServiceContext,
  request: { account?: string | undefined; address?: string | undefined; page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "view_audit");
  return pageAudit(context, account.id, request.address, request);
}

async function pageAudit(
  context: ServiceContext,
  accountId: string,
  address: string | undefined,
  request: { page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const { rows, total } = await pageAuditRows(context.db, {
    accountId,
    address,
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  const account = await findAccountById(context.db, accountId);
  const codes = new Map(account ? [[account.id, account.code]] : []);
  return {
    items: rows.map((row) => mapAuditRow(row, codes)),
    total,
    page: request.page,
    pageSize: request.pageSize,
  };
}
