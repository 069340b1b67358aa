import { parseAddress } from "../../directory/address.js";
import { AppError } from "../../errors/app-error.js";
import { deleteUserAddress, findAddressesByKeys, insertAddresses } from "../../store/addresses-repository.js";
import { findDomainByName } from "../../store/domains-repository.js";
import { findUsersByIds, updateUserEmail } from "../../store/users-repository.js";
import { authorize, writeAudit, type Authorized, type ServiceContext, type Tx } from "../context.js";
import { addressRow } from "./address-rows.js";
import { assertUserChange } from "./assert-user-change.js";
import { findTarget, getUser } from "./find-users.js";
import type { UserView } from "./user-view.js";

/**
 * Gives a user a new primary address inside the caller's transaction (an identity provider's rename: a new
 * userPrincipalName). The address must be in an internal domain of the user's own account and free, or be
 * one of the user's aliases (which it then stops being); the old primary address is let go. The rulebook is
 * asked as for a change of the user's addresses.
 */
export async function changePrimaryAddressWithin(
  tx: Tx,
  context: ServiceContext,
  target: { userId: string; accountId: string; email: string },
  newAddress: string,
): Promise<Authorized> {
  const address = parseAddress(newAddress);
  const actor = await authorize(tx, context.actor, target.accountId, "manage_users");
  const [user] = await findUsersByIds(tx, [target.userId]);
  if (!user)
    throw new AppError("user_not_found", `No user has the address ${target.email}.`, {
      address: target.email,
    });
  if (address.key === user.email_key) return actor;
  const domain = await findDomainByName(tx, address.domain);
  if (domain?.account_id !== user.account_id) {
    throw new AppError(
      "domain_not_internal",
      `${address.domain} is not an internal domain of the user's account.`,
      {
        address: address.address,
        domain: address.domain,
      },
    );
  }
  const [taken] = await findAddressesByKeys(tx, [address.key]);
  if (taken && taken.user_id !== user.id) {
    throw new AppError("address_taken", `${address.address} is already in use.`, {
      address: address.address,
    });
  }
  await assertUserChange(tx, actor, user.account_id, user.id, { fields: ["aliases"] });
  if (taken) await deleteUserAddress(tx, user.id, address.key);
  await deleteUserAddress(tx, user.id, user.email_key);
  await insertAddresses(tx, [addressRow(address, user.account_id, user.id, "primary")]);
  await updateUserEmail(tx, user.id, address, context.now().toISOString());
  await writeAudit(tx, context, actor, [
    // Under both addresses, so the history of either finds it.
    {
      accountId: user.account_id,
      action: "user.rename",
      address: user.email,
      before: { email: user.email },
      after: { email: address.address },
    },
    {
      accountId: user.account_id,
      action: "user.rename",
      address: address.address,
      before: { email: user.email },
      after: { email: address.address },
    },
  ]);
  return actor;
}

/** `users rename` for the console, the API and the CLI to come: the same rule in its own transaction. */
export async function changePrimaryAddress(
  context: ServiceContext,
  address: string,
  newAddress: string,
): Promise<UserView> {
  const target = await findTarget(context, address);
  await context.db.transaction().execute((tx) => changePrimaryAddressWithin(tx, context, target, newAddress));
  return getUser(context, newAddress);
}
