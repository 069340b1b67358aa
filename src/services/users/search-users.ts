import { parseAttributeName } from "../../directory/attribute-name.js";
import { parseGroupPath } from "../../directory/group-path.js";
import { findAttributeDefinitions } from "../../store/attributes-repository.js";
import { findGroupSubtreeIds } from "../../store/groups-repository.js";
import {
  countUserSearch,
  findExactUserMatches,
  pageUserSearch,
  prepareUserSearch,
  type PreparedUserSearch,
  type UserListQuery,
  type UserListSort,
  type UserSearchField,
} from "../../store/search-repository.js";
import { resolveAuthorizedAccount } from "../account-lookup.js";
import type { ServiceContext } from "../context.js";
import { decodeCursor, encodeCursor, LIST_COUNT_CAP, type KeysetPage } from "../keyset-cursor.js";
import type { Page } from "./page.js";
import { loadUserViews, type UserView } from "./user-view.js";

export type { UserListSort, UserSearchField } from "../../store/search-repository.js";

/** A search's matches are counted this far (a list without text to LIST_COUNT_CAP). */
export const TEXT_COUNT_CAP = 10_000;
/** Rows tested one by one (scanned text, a group filter) are counted only this far: a test per row. */
export const ROW_TEST_COUNT_CAP = 1_000;

/** Exact matches shown first, before the substring matches. */
const EXACT_FIRST = 10;

export interface UserSearchRequest {
  account?: string | undefined;
  text?: string | undefined;
  field?: UserSearchField | undefined;
  /** With field "attribute" (or alone): the attribute whose values the text is searched in. */
  attribute?: string | undefined;
  /** With `attribute`: users whose value of it is exactly this (an indexed filter). */
  attributeValue?: string | undefined;
  type?: string | undefined;
  status?: "locked" | "active" | undefined;
  /** Members of this group or any group under it. */
  group?: string | undefined;
  sort?: UserListSort | undefined;
  /** Keyset paging: the cursor of a page (absent for the first) and the page size. */
  cursor?: string | undefined;
  limit?: number | undefined;
  /** The older offset paging, kept for existing clients: 1-based page number. */
  page?: number | undefined;
  pageSize?: number | undefined;
}

export type UserSearchPage = Page<UserView> & KeysetPage<UserView>;

async function buildQuery(context: ServiceContext, request: UserSearchRequest): Promise<UserListQuery> {
  const { account } = await resolveAuthorizedAccount(
    context.db,
    context.actor,
    request.account,
    "manage_users",
  );
  const attribute =
    request.attribute === undefined || request.attribute.trim() === ""
      ? undefined
      : parseAttributeName(request.attribute).key;
  let definitionId: string | undefined;
  if (attribute !== undefined) {
    const definition = (await findAttributeDefinitions(context.db, account.id)).find(
      (d) => d.name_key === attribute,
    );
    // An attribute nobody has: no user matches (the empty id matches no definition).
    definitionId = definition?.id ?? "";
  }
  const exact = request.attributeValue !== undefined && definitionId !== undefined;
  const groupIds =
    request.group === undefined || request.group.trim() === ""
      ? undefined
      : await findGroupSubtreeIds(context.db, account.id, parseGroupPath(request.group).key);
  return {
    accountId: account.id,
    text: request.text ?? "",
    field: definitionId !== undefined && !exact ? "attribute" : (request.field ?? "any"),
    attributeDefinitionId: exact ? undefined : definitionId,
    attributeEquals:
      exact && definitionId !== undefined
        ? { definitionId, value: (request.attributeValue ?? "").trim() }
        : undefined,
    type: request.type,
    locked: request.status === undefined ? undefined : request.status === "locked",
    groupIds,
    sort: request.sort ?? "address",
  };
}

async function viewsInOrder(context: ServiceContext, ids: readonly string[]): Promise<UserView[]> {
  const views = await loadUserViews(context.db, ids);
  return ids.flatMap((id) => {
    const view = views.get(id);
    return view ? [view] : [];
  });
}

/**
 * The console's user list: a keyset page of the account's users, filtered, searched (exact matches of the
 * text first, on the first page), in the chosen order. With `page` and no `cursor`, the older offset paging
 * (its `total` exact), for clients written before cursors.
 */
export async function searchUsers(
  context: ServiceContext,
  request: UserSearchRequest,
): Promise<UserSearchPage> {
  const query = await buildQuery(context, request);
  const limit = request.limit ?? request.pageSize ?? 50;
  const text = (request.text ?? "").trim();
  const exactIds =
    text === "" || query.field !== "any"
      ? []
      : await findExactUserMatches(context.db, query.accountId, text, EXACT_FIRST);
  const prepared = await prepareUserSearch(context.db, query);
  const stream: PreparedUserSearch = { ...prepared, query: { ...query, excludeIds: exactIds } };
  const keyset = request.cursor === undefined ? undefined : decodeCursor(request.cursor, query.sort);
  const legacyPage = request.cursor === undefined && request.limit === undefined ? request.page : undefined;
  const firstPage = keyset === undefined && (legacyPage ?? 1) === 1;

  let leading = firstPage ? exactIds.slice(0, limit) : [];
  const offset = legacyPage === undefined ? 0 : Math.max(0, (legacyPage - 1) * limit - exactIds.length);
  let rows = await pageUserSearch(context.db, stream, {
    after: keyset?.direction === "next" ? keyset.position : undefined,
    before: keyset?.direction === "prev" ? keyset.position : undefined,
    limit: limit - leading.length + 1,
    offset,
  });
  let hasBefore = keyset !== undefined || offset > 0;
  let hasAfter: boolean;
  if (keyset?.direction === "prev") {
    // Read backwards: one extra row says whether a page lies before; none left means this is the first page.
    hasAfter = true;
    if (rows.length <= limit) {
      leading = exactIds.slice(0, limit);
      rows = await pageUserSearch(context.db, stream, { limit: limit - leading.length + 1, offset: 0 });
      hasBefore = false;
      hasAfter = rows.length > limit - leading.length;
      rows = rows.slice(0, limit - leading.length);
    } else {
      rows = rows.slice(1);
    }
  } else {
    hasAfter = rows.length > limit - leading.length;
    rows = rows.slice(0, limit - leading.length);
  }
  const first = rows[0];
  const last = rows.at(-1);
  // Text is counted to a lower cap: past it each counted row is a LIKE, not an index entry.
  const cap =
    legacyPage !== undefined
      ? Number.MAX_SAFE_INTEGER
      : prepared.testsEachRow
        ? ROW_TEST_COUNT_CAP
        : prepared.hasText
          ? TEXT_COUNT_CAP
          : LIST_COUNT_CAP;
  const counted = await countUserSearch(context.db, prepared, cap);
  return {
    items: await viewsInOrder(context, [...leading, ...rows.map((r) => r.userId)]),
    nextCursor:
      hasAfter && last
        ? encodeCursor({ sort: query.sort, direction: "next", position: last.position })
        : null,
    prevCursor:
      hasBefore && first
        ? encodeCursor({ sort: query.sort, direction: "prev", position: first.position })
        : null,
    total: counted,
    totalCapped: counted >= cap,
    page: legacyPage ?? 1,
    pageSize: limit,
  };
}
