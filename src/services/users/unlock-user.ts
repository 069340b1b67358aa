import { deleteSignInFailures } from "../../store/sign-in-failures-repository.js";
import type { ServiceContext } from "../context.js";
import { findTarget, getUser } from "./find-users.js";
import { prepareUsers, saveUsersWithin } from "./save-users.js";
import type { UserView } from "./user-view.js";

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
