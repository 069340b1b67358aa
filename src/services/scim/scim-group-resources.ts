import { toScimGroup } from "../../scim/group-mapping.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { listGroupMembersPage, type GroupRow } from "../../store/groups-repository.js";
import type { Executor } from "../../store/schema.js";
import { findScimGroupsByGroupIds } from "../../store/scim-groups-repository.js";

/**
 * The most members a Group resource lists: SCIM has no paging inside a resource (RFC 7644), so a larger
 * group is shown with its first members by address; Entra asks with excludedAttributes=members anyway.
 */
export const MAX_MEMBERS_SHOWN = 10_000;

export interface LoadedScimGroup {
  readonly row: GroupRow;
  readonly externalId: string | null;
  readonly resource: JsonObject;
}

/** Groups as SCIM resources; members are loaded only when the caller wants them. */
export async function loadScimGroups(
  db: Executor,
  rows: readonly GroupRow[],
  baseUrl: string,
  withMembers: boolean,
): Promise<LoadedScimGroup[]> {
  const external = new Map(
    (
      await findScimGroupsByGroupIds(
        db,
        rows.map((r) => r.id),
      )
    ).map((g) => [g.group_id, g.external_id]),
  );
  const loaded: LoadedScimGroup[] = [];
  for (const row of rows) {
    const members = withMembers
      ? (await listGroupMembersPage(db, row.id, MAX_MEMBERS_SHOWN)).map((m) => ({
          id: m.user_id,
          email: m.email,
        }))
      : undefined;
    const externalId = external.get(row.id) ?? null;
    loaded.push({
      row,
      externalId,
      resource: toScimGroup({ id: row.id, path: row.path, externalId, members }, baseUrl),
    });
  }
  return loaded;
}
