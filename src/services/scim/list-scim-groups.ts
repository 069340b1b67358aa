import { parseGroupPath } from "../../directory/group-path.js";
import { findIndexedTerm } from "../../scim/filter-index.js";
import { filteredPage, type ScimPage } from "../../scim/filtered-page.js";
import type { Filter } from "../../scim/filter.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { groupCaseExact } from "../../scim/resource-schemas.js";
import {
  findGroupsByIds,
  findGroupsByPathKeys,
  pageGroupsInAccounts,
  type GroupRow,
} from "../../store/groups-repository.js";
import { resourceNotFound, scimReach, type ScimCaller } from "./scim-caller.js";
import { loadScimGroups, type LoadedScimGroup } from "./scim-group-resources.js";

const SCAN_PAGE = 200;

export async function getScimGroup(
  caller: ScimCaller,
  id: string,
  withMembers = true,
): Promise<LoadedScimGroup> {
  const reach = await scimReach(caller, "manage_groups");
  const [row] = await findGroupsByIds(caller.context.db, [id]);
  if (!row || !reach.includes(row.account_id)) throw resourceNotFound("Group", id);
  const [group] = await loadScimGroups(caller.context.db, [row], caller.baseUrl, withMembers);
  if (!group) throw resourceNotFound("Group", id);
  return group;
}

async function candidates(
  caller: ScimCaller,
  reach: readonly string[],
  filter: Filter,
): Promise<GroupRow[] | undefined> {
  const term = findIndexedTerm(filter);
  const db = caller.context.db;
  if (term?.kind === "displayName") {
    let key: string;
    try {
      key = parseGroupPath(term.value).key;
    } catch {
      return [];
    }
    const found = await Promise.all(reach.map((accountId) => findGroupsByPathKeys(db, accountId, [key])));
    return found.flat();
  }
  if (term?.kind === "id")
    return (await findGroupsByIds(db, [term.value])).filter((g) => reach.includes(g.account_id));
  return undefined;
}

/** GET /Groups: a page; members only when not excluded (Entra asks with excludedAttributes=members). */
export async function listScimGroups(
  caller: ScimCaller,
  request: { filter?: Filter | undefined; startIndex: number; count: number; withMembers: boolean },
): Promise<ScimPage> {
  const reach = await scimReach(caller, "manage_groups");
  const db = caller.context.db;
  const { filter, startIndex, count, withMembers } = request;
  if (!filter) {
    const { rows, total } = await pageGroupsInAccounts(db, reach, { offset: startIndex - 1, limit: count });
    const groups = await loadScimGroups(db, rows, caller.baseUrl, withMembers);
    return { totalResults: total, startIndex, resources: groups.map((g) => g.resource) };
  }
  const found = filteredPage(filter, groupCaseExact, startIndex, count);
  const shown = (resource: JsonObject): JsonObject => {
    const copy = { ...resource };
    if (!withMembers) delete copy.members;
    return copy;
  };
  const take = async (rows: readonly GroupRow[]): Promise<void> => {
    // A filter on members needs them loaded to be checked.
    const groups = await loadScimGroups(db, rows, caller.baseUrl, true);
    found.take(
      groups.map((g) => g.resource),
      shown,
    );
  };
  const indexed = await candidates(caller, reach, filter);
  if (indexed !== undefined) {
    await take(indexed);
    return found.page();
  }
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const { rows } = await pageGroupsInAccounts(db, reach, { offset, limit: SCAN_PAGE });
    await take(rows);
    if (rows.length < SCAN_PAGE) break;
  }
  return found.page();
}
