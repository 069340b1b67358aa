import { findUsersByIds } from "../../store/users-repository.js";
import { endCredentialsOf } from "../auth-service.js";
import type { ServiceContext } from "../context.js";
import { findTarget, getUser } from "./find-users.js";
import { prepareUsers, saveUsers, saveUsersWithin, type UserInput } from "./save-users.js";
import type { UserView } from "./user-view.js";

/** What the console's Edit form may change; security fields go through the same protected-role check. */
export type UserChanges = Omit<UserInput, "email" | "password" | "type">;

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

export async function setAliases(
  context: ServiceContext,
  email: string,
  aliases: readonly string[],
): Promise<UserView> {
  return getUser(context, await updateExisting(context, { email, aliases }));
}

export async function setAttributes(
  context: ServiceContext,
  email: string,
  attributes: Readonly<Record<string, string>>,
): Promise<UserView> {
  return getUser(context, await updateExisting(context, { email, attributes }));
}

export async function addNote(context: ServiceContext, email: string, text: string): Promise<UserView> {
  return getUser(context, await updateExisting(context, { email, notes: [text] }));
}

/** Updates the user found by any of their addresses; returns the primary address. */
async function updateExisting(context: ServiceContext, input: UserInput): Promise<string> {
  // Refuse rather than create: these calls name an existing user.
  const user = await getUser(context, input.email);
  await saveUsers(context, { users: [{ ...input, email: user.email }] });
  return user.email;
}
