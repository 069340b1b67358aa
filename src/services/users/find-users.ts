import { addressKey } from "../../directory/address.js";
import { AppError } from "../../errors/app-error.js";
import { findAddressesByKeys } from "../../store/addresses-repository.js";
import { listUserIds, listUserKeysAfter } from "../../store/users-repository.js";
import { isWithinReach, resolveAccountIfNamed } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { loadUserViews, type UserView } from "./user-view.js";

/** Users by any of their addresses (primary or alias), keyed by the normalised address asked for. */
export async function findUsersByAddresses(
  context: ServiceContext,
  addresses: readonly string[],
): Promise<Map<string, UserView>> {
  const keys = [...new Set(addresses.map(addressKey))];
  const found = await findAddressesByKeys(context.db, keys);
  const views = await loadUserViews(context.db, [...new Set(found.map((a) => a.user_id))]);
  const result = new Map<string, UserView>();
  for (const address of found) {
    const view = views.get(address.user_id);
    if (view) result.set(address.address_key, view);
  }
  return result;
}

export async function getUser(context: ServiceContext, email: string): Promise<UserView> {
  const view = (await findUsersByAddresses(context, [email])).get(addressKey(email));
  if (!view) throw new AppError("user_not_found", `No user has the address ${email}.`, { address: email });
  return view;
}

/**
 * Every user (of the account, or all), a page at a time by primary address: what `users list` streams, so a
 * million users never sit in memory at once.
 */
export async function* streamUsers(
  context: ServiceContext,
  request: { account?: string | undefined },
  pageSize = 1000,
): AsyncGenerator<UserView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  let after: string | undefined;
  for (;;) {
    const keys = await listUserKeysAfter(context.db, account?.id, after, pageSize);
    if (keys.length === 0) return;
    const views = await loadUserViews(
      context.db,
      keys.map((k) => k.id),
    );
    yield keys.flatMap((k) => views.get(k.id) ?? []);
    after = keys.at(-1)?.email_key;
    if (keys.length < pageSize) return;
  }
}

export async function listUsers(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<UserView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const ids = await listUserIds(context.db, account?.id);
  const views = await loadUserViews(context.db, ids);
  return ids.flatMap((id) => {
    const view = views.get(id);
    return view ? [view] : [];
  });
}

/**
 * The user at any of their addresses, and the id of their account; refuses `user_not_found`, also for a user
 * outside the actor's reach (another account tree), with the same message and details: a 403 there would
 * tell other tenants' users apart from missing ones. Within reach, `authorize` decides (403 if not allowed).
 */
export async function findTarget(
  context: ServiceContext,
  address: string,
): Promise<{ userId: string; accountId: string; email: string }> {
  const [found] = await findAddressesByKeys(context.db, [addressKey(address)]);
  if (!found || !(await isWithinReach(context.db, context.actor, found.account_id))) {
    throw new AppError("user_not_found", `No user has the address ${address}.`, { address });
  }
  const user = await getUser(context, address);
  return { userId: found.user_id, accountId: found.account_id, email: user.email };
}

/** The console's and API's view of one user, within the caller's reach. */
export async function showUser(context: ServiceContext, address: string): Promise<UserView> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "manage_users");
  return getUser(context, target.email);
}
