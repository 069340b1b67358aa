import { parseAttributeName } from "../../directory/attribute-name.js";
import { searchUserIds, type UserSearchField } from "../../store/users-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import type { Page } from "./page.js";
import { loadUserViews, type UserView } from "./user-view.js";

/** The console's user list: one page of the account's users matching the text, by primary address. */
export async function searchUsers(
  context: ServiceContext,
  request: {
    account?: string | undefined;
    text?: string | undefined;
    field?: UserSearchField | undefined;
    attribute?: string | undefined;
    page: number;
    pageSize: number;
  },
): Promise<Page<UserView>> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "manage_users");
  const field = request.field ?? "any";
  const attributeKey =
    request.attribute === undefined || request.attribute.trim() === ""
      ? undefined
      : parseAttributeName(request.attribute).key;
  const { ids, total } = await searchUserIds(context.db, {
    accountId: account.id,
    text: (request.text ?? "").trim().toLowerCase(),
    field: attributeKey === undefined ? field : "attribute",
    attributeKey,
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  const views = await loadUserViews(context.db, ids);
  const items = ids.flatMap((id) => {
    const view = views.get(id);
    return view ? [view] : [];
  });
  return { items, total, page: request.page, pageSize: request.pageSize };
}
