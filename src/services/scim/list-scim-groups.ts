import { parseGroupPath } from "../../directory/group-path.js";
import { matchesFilter } from "../../scim/evaluate-filter.js";
import { findIndexedTerm } from "../../scim/filter-index.js";
import type { Filter } from "../../scim/filter.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { groupCaseExact } from "../../scim/resource-schemas.js";
import {
  findGroupsByIds,
  findGroupsByPathKeys,
  pageGroupsInAccounts,
  type GroupRow,
} from "../../store/groups-repository.js";
import type { ScimPage } from "./list-scim-users.js";
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
  // A filter on members needs them loaded to be checked.
  const load = (rows: readonly GroupRow[]) => loadScimGroups(db, rows, caller.baseUrl, true);
  const resources: JsonObject[] = [];
  let total = 0;
  const take = (groups: readonly LoadedScimGroup[]) => {
    for (const group of groups) {
      if (!matchesFilter(filter, group.resource, groupCaseExact)) continue;
      total++;
      if (total >= startIndex && resources.length < count) {
        const resource = { ...group.resource };
        if (!withMembers) delete resource.members;
        resources.push(resource);
      }
    }
  };
  const found = await candidates(caller, reach, filter);
  if (found !== undefined) {
    take(await load(found));
    return { totalResults: total, startIndex, resources };
  }
  for (let offset = 0; ; offset += SCAN_PAGE) {
    const { rows } = await pageGroupsInAccounts(db, reach, { offset, limit: SCAN_PAGE });
    take(await load(rows));
    if (rows.length < SCAN_PAGE) break;
  }
  return { totalResults: total, startIndex, resources };
}
