import { findRole, isRoleId } from "../directory/roles.js";
import { AppError } from "../errors/app-error.js";
import { findAccountById } from "../store/accounts-repository.js";
import {
  findAddressesByKeys,
  findRolesByUserIds,
  findUsersByIds,
  insertRoleAssignment,
} from "../store/users-repository.js";
import { parseAddress } from "../directory/address.js";
import { actorHoldsProtectedRole, authorize, writeAudit, type ServiceContext } from "./context.js";
import { getUser } from "./users-service.js";
import type { UserView } from "./user-view.js";

/** `roles assign EMAIL ROLE`. */
export async function assignRole(
  context: ServiceContext,
  request: { email: string; role: string },
): Promise<UserView> {
  const role = findRole(request.role);
  const address = parseAddress(request.email);
  const email = await context.db.transaction().execute(async (tx) => {
    const [found] = await findAddressesByKeys(tx, [address.key]);
    const [user] = found ? await findUsersByIds(tx, [found.user_id]) : [];
    if (!user)
      throw new AppError("user_not_found", `No user has the address ${address.address}.`, {
        address: address.address,
      });
    const account = await findAccountById(tx, user.account_id);
    if (role.masterOnly && account?.kind !== "master") {
      throw new AppError("role_not_available", `${role.name} exists only on master accounts.`, {
        role: role.name,
      });
    }
    const actor = await authorize(tx, context.actor, user.account_id, "manage_roles");
    const current = (await findRolesByUserIds(tx, [user.id])).map((r) => r.role).filter(isRoleId);
    const protectedTarget = current.some((id) => findRole(id).protected);
    if ((role.protected || protectedTarget) && !actorHoldsProtectedRole(actor)) {
      throw new AppError(
        "protected_role_required",
        `Only a protected-role holder may do this for ${user.email}.`,
        {
          address: user.email,
          role: role.name,
        },
      );
    }
    if (!current.includes(role.id)) {
      await insertRoleAssignment(tx, { account_id: user.account_id, user_id: user.id, role: role.id });
      await writeAudit(tx, context, actor, [
        {
          accountId: user.account_id,
          action: "role.assign",
          address: user.email,
          after: { role: role.name },
        },
      ]);
    }
    return user.email;
  });
  return getUser(context, email);
}
