import { parseGroupPath } from "../../directory/group-path.js";
import { AppError } from "../../errors/app-error.js";
import { fromScimGroup } from "../../scim/group-mapping.js";
import type { JsonObject } from "../../scim/json-resource.js";
import { findGroupsByPathKeys } from "../../store/groups-repository.js";
import { upsertScimGroup } from "../../store/scim-groups-repository.js";
import { authorize } from "../context.js";
import { auditCreatedGroups, changeGroupMembersWithin, ensureGroupPath } from "../groups-service.js";
import { auditScim, type ScimCaller, scimLink } from "./scim-caller.js";
import { getScimGroup } from "./list-scim-groups.js";
import type { LoadedScimGroup } from "./scim-group-resources.js";

/** POST /Groups: a profile group in the token's account, displayName its path, with its first members. */
export async function createScimGroup(caller: ScimCaller, body: JsonObject): Promise<LoadedScimGroup> {
  const input = fromScimGroup(body);
  const path = parseGroupPath(input.displayName);
  const { context } = caller;
  const accountId = caller.token.accountId;
  const id = await context.db.transaction().execute(async (tx) => {
    const actor = await authorize(tx, context.actor, accountId, "manage_groups");
    if ((await findGroupsByPathKeys(tx, accountId, [path.key])).length > 0) {
      throw new AppError("scim_uniqueness", `A group "${path.path}" exists already.`, { path: path.path });
    }
    const { group, created } = await ensureGroupPath(tx, accountId, path);
    await auditCreatedGroups(tx, context, actor, accountId, created);
    await changeGroupMembersWithin(tx, context, actor, group, { add: input.memberIds ?? [], remove: [] });
    await upsertScimGroup(tx, {
      group_id: group.id,
      ...scimLink(caller, accountId, input.externalId ?? null),
    });
    await auditScim(tx, caller, actor, {
      accountId,
      action: "scim.group.create",
      after: { path: group.path, externalId: input.externalId ?? null },
    });
    return group.id;
  });
  return getScimGroup(caller, id);
}
