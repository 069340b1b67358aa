import { AppError } from "../../errors/app-error.js";
import {
  eachDelegatePair,
  listDelegatesPage,
  type DelegateFilter,
} from "../../store/delegates-repository.js";
import { resolveAuthorizedAccount } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { findTarget } from "../users/find-users.js";
import type { DelegatePair, UserDelegates } from "./delegate-view-schemas.js";

export type { DelegatePair, UserDelegates } from "./delegate-view-schemas.js";

export interface DelegateQuery {
  readonly account?: string | undefined;
  /** Only the mailboxes this user (any of their addresses) may open. */
  readonly primary?: string | undefined;
  /** Text matched anywhere in either primary address, ignoring case. */
  readonly q?: string | undefined;
}

// Reading who may open whose mailbox is part of managing users; changing it needs manage_delegates.
const READ_PERMISSION = "manage_users";

/** The filter for a query, within the actor's reach and permission; a --primary of another account is missing. */
async function filterOf(context: ServiceContext, query: DelegateQuery): Promise<DelegateFilter> {
  const { account } = await resolveAuthorizedAccount(
    context.db,
    context.actor,
    query.account,
    READ_PERMISSION,
  );
  let userId: string | undefined;
  if (query.primary !== undefined) {
    const target = await findTarget(context, query.primary);
    if (target.accountId !== account.id) {
      throw new AppError("user_not_found", `No user has the address ${query.primary}.`, {
        address: query.primary,
      });
    }
    userId = target.userId;
  }
  return { accountId: account.id, userId, text: query.q?.trim().toLowerCase() };
}

/** One page of the account's pairs, ordered by Primary then Delegate Address. */
export async function listDelegates(
  context: ServiceContext,
  query: DelegateQuery & { page: number; pageSize: number },
): Promise<{ items: DelegatePair[]; total: number; page: number; pageSize: number }> {
  const filter = await filterOf(context, query);
  const { rows, total } = await listDelegatesPage(context.db, filter, {
    offset: (query.page - 1) * query.pageSize,
    limit: query.pageSize,
  });
  return {
    items: rows.map((r) => ({ primary: r.primary, delegate: r.delegate })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

/** Every matching pair in order, handed to `each` a page at a time (bounded memory, however many). */
export async function eachDelegate(
  context: ServiceContext,
  query: DelegateQuery,
  each: (pair: DelegatePair) => void | Promise<void>,
): Promise<void> {
  const filter = await filterOf(context, query);
  await eachDelegatePair(context.db, filter, (r) => each({ primary: r.primary, delegate: r.delegate }));
}

export async function showUserDelegates(
  context: ServiceContext,
  address: string,
  paging: { page: number; pageSize: number },
): Promise<UserDelegates> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, READ_PERMISSION);
  const page = { offset: (paging.page - 1) * paging.pageSize, limit: paging.pageSize };
  const base = { accountId: target.accountId };
  const mayOpen = await listDelegatesPage(context.db, { ...base, userId: target.userId }, page);
  const openedBy = await listDelegatesPage(context.db, { ...base, delegateUserId: target.userId }, page);
  return {
    email: target.email,
    mayOpen: { items: mayOpen.rows.map((r) => r.delegate), total: mayOpen.total },
    openedBy: { items: openedBy.rows.map((r) => r.primary), total: openedBy.total },
    ...paging,
  };
}
