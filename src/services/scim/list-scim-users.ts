import { addressKey } from "../../directory/address.js";
import { findIndexedTerm } from "../../scim/filter-index.js";
import { filteredPage, type ScimPage } from "../../scim/filtered-page.js";
import type { Filter } from "../../scim/filter.js";
import { userCaseExact } from "../../scim/resource-schemas.js";
import { findAddressesByKeys } from "../../store/addresses-repository.js";
import { findUserIdsByExternalId } from "../../store/scim-users-repository.js";
import { findUsersByIds, listUserIdsAfter, pageUserIdsInAccounts } from "../../store/users-repository.js";
import { resourceNotFound, scimReach, type ScimCaller } from "./scim-caller.js";
import { loadScimUsers, type LoadedScimUser } from "./scim-user-resources.js";

/** A scan loads this many users at a time: memory stays bounded whatever the directory's size. */
const SCAN_PAGE = 500;

/** GET /Users/{id}: a user within the token's reach, else scim_resource_not_found. */
export async function getScimUser(caller: ScimCaller, id: string): Promise<LoadedScimUser> {
  const reach = await scimReach(caller, "manage_users");
  const [user] = await loadScimUsers(caller.context.db, [id], caller.baseUrl);
  if (!user || !reach.includes(user.accountId)) throw resourceNotFound("User", id);
  return user;
}

async function candidateIds(
  caller: ScimCaller,
  reach: readonly string[],
  filter: Filter,
): Promise<string[] | undefined> {
  const db = caller.context.db;
  const term = findIndexedTerm(filter);
  switch (term?.kind) {
    case "address":
      return (await findAddressesByKeys(db, [addressKey(term.value)]))
        .filter((a) => reach.includes(a.account_id))
        .map((a) => a.user_id);
    case "externalId":
      return findUserIdsByExternalId(db, reach, term.value);
    case "id":
      return (await findUsersByIds(db, [term.value]))
        .filter((u) => reach.includes(u.account_id))
        .map((u) => u.id);
    case "displayName":
    case undefined:
      return undefined;
  }
}

/**
 * GET /Users: one page (startIndex is 1-based). Without a filter the page comes from SQL; a filter with an
 * equality on userName, emails, externalId or id starts from that index; any other filter scans the reach in
 * pages, keeping only the count and the page asked for.
 */
export async function listScimUsers(
  caller: ScimCaller,
  request: { filter?: Filter | undefined; startIndex: number; count: number },
): Promise<ScimPage> {
  const reach = await scimReach(caller, "manage_users");
  const db = caller.context.db;
  const { filter, startIndex, count } = request;
  if (!filter) {
    const { ids, total } = await pageUserIdsInAccounts(db, reach, { offset: startIndex - 1, limit: count });
    const users = await loadScimUsers(db, ids, caller.baseUrl);
    return { totalResults: total, startIndex, resources: users.map((u) => u.resource) };
  }
  const found = filteredPage(filter, userCaseExact, startIndex, count);
  const take = (users: readonly LoadedScimUser[]): void => {
    found.take(users.map((u) => u.resource));
  };
  const candidates = await candidateIds(caller, reach, filter);
  if (candidates !== undefined) {
    take(await loadScimUsers(db, [...new Set(candidates)].slice(0, 10_000), caller.baseUrl));
    return found.page();
  }
  let after: string | undefined;
  for (;;) {
    const rows = await listUserIdsAfter(db, reach, after, SCAN_PAGE);
    take(
      await loadScimUsers(
        db,
        rows.map((r) => r.id),
        caller.baseUrl,
      ),
    );
    const last = rows[rows.length - 1];
    if (!last || rows.length < SCAN_PAGE) break;
    after = last.email_key;
  }
  return found.page();
}
