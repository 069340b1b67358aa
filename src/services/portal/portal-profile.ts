import { AppError } from "../../errors/app-error.js";
import { listDelegatesPage } from "../../store/delegates-repository.js";
import type { Executor } from "../../store/schema.js";
import { findUsersByIds } from "../../store/users-repository.js";
import { loadUserViews } from "../users/user-view.js";

/** What the portal shows a signed-in user about themselves. */
export interface PortalProfile {
  readonly email: string;
  readonly name: string;
  readonly account: string;
  readonly aliases: readonly string[];
  readonly groups: readonly string[];
  /** The mailboxes they may open as a delegate: a page of primary addresses, and how many in all. */
  readonly mayOpen: { readonly items: readonly string[]; readonly total: number };
  readonly page: number;
  readonly pageSize: number;
}

export const PORTAL_PAGE_SIZE = 50;

/**
 * The signed-in user's own details. Only ever their own: the user id comes from their session, so no
 * permission is asked (the delegates service's listing needs manage_users, which a mail user lacks).
 */
export async function describePortalProfile(
  db: Executor,
  userId: string,
  page: number,
): Promise<PortalProfile> {
  const [row] = await findUsersByIds(db, [userId]);
  const user = (await loadUserViews(db, [userId])).get(userId);
  if (!row || !user) throw new AppError("not_signed_in", "The signed-in user no longer exists.", {});
  const delegates = await listDelegatesPage(
    db,
    { accountId: row.account_id, userId },
    { offset: (page - 1) * PORTAL_PAGE_SIZE, limit: PORTAL_PAGE_SIZE },
  );
  return {
    email: user.email,
    name: user.name,
    account: user.account,
    aliases: user.aliases,
    groups: user.groups,
    mayOpen: { items: delegates.rows.map((r) => r.delegate), total: delegates.total },
    page,
    pageSize: PORTAL_PAGE_SIZE,
  };
}
