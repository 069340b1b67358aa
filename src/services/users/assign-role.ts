import { findRole, isRoleId } from "../../directory/roles.js";
import { AppError } from "../../errors/app-error.js";
import { findAddressesByKeys } from "../../store/addresses-repository.js";
import { findRolesByUserIds, insertRoleAssignment } from "../../store/roles-repository.js";
import { findUsersByIds } from "../../store/users-repository.js";
import { parseAddress } from "../../directory/address.js";
import { isWithinReach } from "../account-lookup.js";
import { assertUserChange } from "./assert-user-change.js";
import { authorize, writeAudit, type ServiceContext } from "../context.js";
import { getUser } from "./find-users.js";
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
    // Outside the actor's reach answers like a missing user: a 403 would confirm another tenant's user.
    if (!user || !(await isWithinReach(tx, context.actor, user.account_id)))
      throw new AppError("user_not_found", `No user has the address ${address.address}.`, {
        address: address.address,
      });
    const actor = await authorize(tx, context.actor, user.account_id, "manage_roles");
    const current = (await findRolesByUserIds(tx, [user.id])).map((r) => r.role).filter(isRoleId);
    if (!current.includes(role.id)) {
      await assertUserChange(tx, actor, user.account_id, user.id, {
        fields: ["adminrole"],
        grantRoles: [role.id],
      });
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
