import { addressKey } from "../../directory/address.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { fromScimUser, nameForNewUser } from "../../scim/user-mapping.js";
import { AppError, isAppError } from "../../errors/app-error.js";
import { findAddressesByKeys } from "../../store/addresses-repository.js";
import { upsertScimUser } from "../../store/scim-users-repository.js";
import { authorize } from "../context.js";
import { prepareUsers, saveUsersWithin } from "../users/save-users.js";
import { auditScim, type ScimCaller, scimLink } from "./scim-caller.js";
import { loadScimUsers, type LoadedScimUser } from "./scim-user-resources.js";

/** An address in use is SCIM's uniqueness conflict (409), whoever holds it. */
export function asUniqueness(error: unknown): unknown {
  if (isAppError(error) && error.code === "address_taken") {
    return new AppError("scim_uniqueness", error.message, error.details);
  }
  return error;
}

/**
 * POST /Users: a new directory user (they come from the organisation's directory, for recipient
 * validation), through the same service and rulebook as the console; a later import over them makes them
 * manually imported, as for any directory user.
 */
export async function createScimUser(caller: ScimCaller, body: JsonObject): Promise<LoadedScimUser> {
  const input = fromScimUser(body);
  const { context } = caller;
  const prepared = await prepareUsers(context, {
    createOnly: true,
    users: [
      {
        email: input.email,
        name: nameForNewUser(input),
        type: "directory",
        password: input.password,
        locked: input.active === false,
        aliases: input.aliases,
        attributes: Object.fromEntries(input.attributes),
      },
    ],
  }).catch((error: unknown) => {
    throw asUniqueness(error);
  });
  const userId = await context.db
    .transaction()
    .execute(async (tx) => {
      await saveUsersWithin(tx, context, prepared);
      const [address] = await findAddressesByKeys(tx, [addressKey(input.email)]);
      if (!address) throw new Error("the new user's address is missing");
      const actor = await authorize(tx, context.actor, address.account_id, "manage_users");
      await upsertScimUser(tx, {
        user_id: address.user_id,
        ...scimLink(caller, address.account_id, input.externalId ?? null),
      });
      await auditScim(tx, caller, actor, {
        accountId: address.account_id,
        action: "scim.user.create",
        address: address.address,
        after: { externalId: input.externalId ?? null },
      });
      return address.user_id;
    })
    .catch((error: unknown) => {
      throw asUniqueness(error);
    });
  const [created] = await loadScimUsers(context.db, [userId], caller.baseUrl);
  if (!created) throw new Error("the new user is missing");
  return created;
}
