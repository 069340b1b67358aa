import type { ServiceContext } from "../context.js";
import { getUser } from "./find-users.js";
import { saveUsers } from "./save-users.js";
import type { UserChanges } from "./update-user.js";
import type { UserView } from "./user-view.js";

/** `users add`: one new manual user. */
export async function createUser(
  context: ServiceContext,
  request: { email: string; name: string; password?: string | undefined; account?: string | undefined },
): Promise<UserView> {
  await saveUsers(context, {
    account: request.account,
    createOnly: true,
    users: [{ email: request.email, name: request.name, password: request.password, type: "manual" }],
  });
  return getUser(context, request.email);
}

/** The console's and API's new user: a manual user, with whatever the Edit form may set. */
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
