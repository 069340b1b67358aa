import { deleteUserWithin } from "../users/delete-user.js";
import { getScimUser } from "./list-scim-users.js";
import { auditScim, type ScimCaller } from "./scim-caller.js";

/** DELETE /Users/{id}: Entra's hard delete after a deactivation, through the users' delete use case. */
export async function deleteScimUser(caller: ScimCaller, id: string): Promise<void> {
  const current = await getScimUser(caller, id);
  const target = { userId: current.id, accountId: current.accountId, email: current.view.email };
  await caller.context.db.transaction().execute(async (tx) => {
    const actor = await deleteUserWithin(tx, caller.context, target);
    await auditScim(tx, caller, actor, {
      accountId: current.accountId,
      action: "scim.user.delete",
      address: current.view.email,
      after: { externalId: current.externalId },
    });
  });
}
