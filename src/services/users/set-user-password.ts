import { endCredentialsOf } from "../auth-service.js";
import type { ServiceContext } from "../context.js";
import { findTarget, getUser } from "./find-users.js";
import { prepareUsers, saveUsersWithin } from "./save-users.js";
import type { UserView } from "./user-view.js";

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
