import { addressKey } from "../../directory/address.js";
import { USER_SETTING_KEYS } from "../../directory/user-settings.js";
import type { UserField } from "../../directory/user-settings.js";
import { AppError } from "../../errors/app-error.js";
import { deleteUsers } from "../../store/users-repository.js";
import { authorize, writeAudit, type Authorized, type ServiceContext, type Tx } from "../context.js";
import { assertUserChange } from "./assert-user-change.js";
import { findTarget } from "./find-users.js";
import { loadUserViews } from "./user-view.js";

// A deletion takes every field of the user away: the rulebook is asked as for a change to all of them, so
// an administrator may delete only whom they may change (a Helpdesk Administrator no Super Administrator).
const EVERY_FIELD: readonly UserField[] = [
  "name",
  "password",
  "aliases",
  "attributes",
  "groups",
  ...USER_SETTING_KEYS,
];

/**
 * Deletes a user inside the caller's transaction: their addresses, attributes, memberships, sessions and
 * API tokens go with them (ON DELETE CASCADE). Nobody deletes themselves.
 */
export async function deleteUserWithin(
  tx: Tx,
  context: ServiceContext,
  target: { userId: string; accountId: string; email: string },
): Promise<Authorized> {
  const actor = await authorize(tx, context.actor, target.accountId, "manage_users");
  if (context.actor.kind === "user" && addressKey(context.actor.email) === addressKey(target.email)) {
    throw new AppError("permission_denied", "An administrator cannot delete themselves.", {
      permission: "manage_users",
    });
  }
  await assertUserChange(tx, actor, target.accountId, target.userId, { fields: EVERY_FIELD });
  const before = (await loadUserViews(tx, [target.userId])).get(target.userId);
  await deleteUsers(tx, [target.userId]);
  await writeAudit(tx, context, actor, [
    { accountId: target.accountId, action: "user.delete", address: target.email, before },
  ]);
  return actor;
}

/** Deletes the user at any of their addresses. */
export async function deleteUser(context: ServiceContext, address: string): Promise<void> {
  const target = await findTarget(context, address);
  await context.db.transaction().execute((tx) => deleteUserWithin(tx, context, target));
}
