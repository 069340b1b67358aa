import { applyPatch, parsePatchRequest } from "../../scim/apply-patch.js";
import { fromScimGroup, memberIdsOf } from "../../scim/group-mapping.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { groupPatchSchema } from "../../scim/resource-schemas.js";
import { loadGroupMembers } from "../../store/groups-repository.js";
import { upsertScimGroup } from "../../store/scim-groups-repository.js";
import { authorize } from "../context.js";
import { changeGroupMembersWithin, deleteGroupWithin, renameGroupWithin } from "../groups-service.js";
import { getScimGroup } from "./list-scim-groups.js";
import { auditScim, type ScimCaller, scimLink } from "./scim-caller.js";
import type { LoadedScimGroup } from "./scim-group-resources.js";

/**
 * Makes the group what `desired` describes: a new displayName moves it, members are added and removed by the
 * difference. A PUT's members are the whole membership (those left out are removed); a PATCH's result is
 * compared with the members the resource showed, so a group larger than a resource shows loses no member
 * the PATCH never named.
 */
async function applyGroupResource(
  caller: ScimCaller,
  current: LoadedScimGroup,
  desired: JsonObject,
  compareWith: "membership" | "shown",
): Promise<LoadedScimGroup> {
  const input = fromScimGroup(desired);
  const { context } = caller;
  const group = current.row;
  await context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, context.actor, group.account_id, "manage_groups");
    const renamed = await renameGroupWithin(tx, context, actor, group, input.displayName);
    const now = new Set(
      compareWith === "membership"
        ? (await loadGroupMembers(tx, group.id)).map((m) => m.user_id)
        : memberIdsOf(current.resource.members),
    );
    const wanted = new Set(input.memberIds ?? []);
    const add = [...wanted].filter((id) => !now.has(id));
    const remove = [...now].filter((id) => !wanted.has(id));
    await changeGroupMembersWithin(tx, context, actor, renamed, { add, remove });
    const externalId = input.externalId ?? null;
    await upsertScimGroup(tx, { group_id: group.id, ...scimLink(caller, group.account_id, externalId) });
    if (renamed !== group || add.length > 0 || remove.length > 0 || externalId !== current.externalId) {
      await auditScim(tx, caller, actor, {
        accountId: group.account_id,
        action: "scim.group.update",
        after: { path: renamed.path, externalId, added: add.length, removed: remove.length },
      });
    }
  });
  return getScimGroup(caller, group.id);
}

export async function replaceScimGroup(
  caller: ScimCaller,
  id: string,
  body: JsonObject,
): Promise<LoadedScimGroup> {
  return applyGroupResource(caller, await getScimGroup(caller, id), body, "membership");
}

export async function patchScimGroup(
  caller: ScimCaller,
  id: string,
  body: unknown,
): Promise<LoadedScimGroup> {
  const operations = parsePatchRequest(body);
  const current = await getScimGroup(caller, id);
  const patched = applyPatch(current.resource, operations, groupPatchSchema(id));
  return applyGroupResource(caller, current, patched, "shown");
}

/** DELETE /Groups/{id}. */
export async function deleteScimGroup(caller: ScimCaller, id: string): Promise<void> {
  const current = await getScimGroup(caller, id, false);
  const group = current.row;
  await caller.context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, caller.context.actor, group.account_id, "manage_groups");
    await deleteGroupWithin(tx, caller.context, actor, group);
    await auditScim(tx, caller, actor, {
      accountId: group.account_id,
      action: "scim.group.delete",
      after: { path: group.path, externalId: current.externalId },
    });
  });
}
