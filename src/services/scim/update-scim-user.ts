import { applyPatch, parsePatchRequest } from "../../scim/apply-patch.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { userPatchSchema } from "../../scim/resource-schemas.js";
import { fromScimUser, planUserChange } from "../../scim/user-mapping.js";
import { upsertScimUser } from "../../store/scim-users-repository.js";
import { deleteSignInFailures } from "../../store/sign-in-failures-repository.js";
import { endCredentialsOf } from "../auth-service.js";
import { authorize } from "../context.js";
import { changePrimaryAddressWithin } from "../users/change-primary-address.js";
import { prepareUsers, saveUsersWithin } from "../users/save-users.js";
import { asUniqueness } from "./create-scim-user.js";
import { getScimUser } from "./list-scim-users.js";
import { auditScim, type ScimCaller, scimLink } from "./scim-caller.js";
import { directoryUserOf, loadScimUsers, type LoadedScimUser } from "./scim-user-resources.js";

/**
 * Makes the user what `desired` (a whole User resource) describes: only what differs is changed, through the
 * user services and the rulebook, in one transaction with the audit rows. Locking ends the user's sessions
 * and tokens, as the console's lock does; a password set ends them too; unlocking forgets failed sign-ins.
 */
async function applyUserResource(
  caller: ScimCaller,
  current: LoadedScimUser,
  desired: JsonObject,
): Promise<LoadedScimUser> {
  const { context } = caller;
  const input = fromScimUser(desired);
  const plan = planUserChange(directoryUserOf(current.view), input);
  const externalId = input.externalId ?? null;
  const changes = { ...plan, email: undefined };
  const changed = Object.keys(plan);
  if (changed.length === 0 && externalId === current.externalId) return current;
  // The rest of the change names the user by the address they will have.
  const email = plan.email ?? current.view.email;
  const prepared = await prepareUsers(context, { users: [{ ...changes, email }] });
  const target = { userId: current.id, accountId: current.accountId, email: current.view.email };
  await context.db
    .transaction()
    .execute(async (tx) => {
      if (plan.email !== undefined) await changePrimaryAddressWithin(tx, context, target, plan.email);
      await saveUsersWithin(tx, context, prepared);
      const renamed = { ...target, email };
      if (plan.locked === true) await endCredentialsOf(tx, context, renamed, "locked");
      else if (plan.password !== undefined) await endCredentialsOf(tx, context, renamed, "password_set");
      if (plan.locked === false) await deleteSignInFailures(tx, current.id);
      const actor = await authorize(tx, context.actor, current.accountId, "manage_users");
      await upsertScimUser(tx, { user_id: current.id, ...scimLink(caller, current.accountId, externalId) });
      await auditScim(tx, caller, actor, {
        accountId: current.accountId,
        action: "scim.user.update",
        address: email,
        after: {
          externalId,
          changed: changed.filter((k) => k !== "password"),
          ...(plan.password === undefined ? {} : { passwordChanged: true }),
        },
      });
    })
    .catch((error: unknown) => {
      throw asUniqueness(error);
    });
  const [updated] = await loadScimUsers(context.db, [current.id], caller.baseUrl);
  if (!updated) throw new Error("the updated user is missing");
  return updated;
}

/** PUT /Users/{id}: the body is the whole user (Okta's updates carry active with it). */
export async function replaceScimUser(
  caller: ScimCaller,
  id: string,
  body: JsonObject,
): Promise<LoadedScimUser> {
  const current = await getScimUser(caller, id);
  return applyUserResource(caller, current, body);
}

/** PATCH /Users/{id}: the operations applied to the user's resource, then that resource applied as a PUT. */
export async function patchScimUser(caller: ScimCaller, id: string, body: unknown): Promise<LoadedScimUser> {
  const operations = parsePatchRequest(body);
  const current = await getScimUser(caller, id);
  return applyUserResource(caller, current, applyPatch(current.resource, operations, userPatchSchema(id)));
}
