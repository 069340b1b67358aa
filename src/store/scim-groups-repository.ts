import type { Selectable } from "kysely";
import type { Executor, ScimGroupsTable } from "./schema.js";
import { findRowsByKeys } from "./table-rows.js";

// scim_groups: the SCIM client's externalId of each profile group it provisioned, keyed by group id.

export type ScimGroupRow = Selectable<ScimGroupsTable>;

export async function findScimGroupsByGroupIds(
  db: Executor,
  groupIds: readonly string[],
): Promise<ScimGroupRow[]> {
  return findRowsByKeys(db, "scim_groups", "group_id", groupIds);
}

export async function upsertScimGroup(db: Executor, row: ScimGroupRow): Promise<void> {
  await db
    .insertInto("scim_groups")
    .values(row)
    .onConflict((oc) => oc.column("group_id").doUpdateSet({ external_id: row.external_id }))
    .execute();
}
