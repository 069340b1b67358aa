import { AppError } from "../errors/app-error.js";
import { getIgnoringCase, isJsonObject, type JsonObject } from "./json-resource.js";
import { GROUP_SCHEMA } from "./scim-urns.js";

/** A profile group as SCIM shows it: displayName is the group's path, members are user ids. */
export interface DirectoryGroup {
  readonly id: string;
  readonly path: string;
  readonly externalId: string | null;
  /** Undefined when the caller asked without members (excludedAttributes=members). */
  readonly members: readonly { readonly id: string; readonly email: string }[] | undefined;
}

export function toScimGroup(group: DirectoryGroup, baseUrl: string): JsonObject {
  const resource: JsonObject = { schemas: [GROUP_SCHEMA], id: group.id };
  if (group.externalId !== null) resource.externalId = group.externalId;
  resource.displayName = group.path;
  if (group.members !== undefined) {
    resource.members = group.members.map((m) => ({
      value: m.id,
      display: m.email,
      $ref: `${baseUrl}/Users/${m.id}`,
      type: "User",
    }));
  }
  resource.meta = { resourceType: "Group", location: `${baseUrl}/Groups/${group.id}` };
  return resource;
}

export interface ScimGroupInput {
  readonly displayName: string;
  readonly externalId: string | undefined;
  /** Undefined when the resource leaves members out (a PUT without them keeps none: see the caller). */
  readonly memberIds: readonly string[] | undefined;
}

/** The user ids a members value names; a member of another type (a nested group) is refused. */
export function memberIdsOf(value: unknown): string[] {
  const list = Array.isArray(value)
    ? (value as unknown[])
    : value === undefined || value === null
      ? []
      : [value];
  const ids: string[] = [];
  for (const member of list) {
    const id = isJsonObject(member) ? getIgnoringCase(member, "value") : undefined;
    const type = isJsonObject(member) ? getIgnoringCase(member, "type") : undefined;
    if (typeof id !== "string" || id === "") {
      throw new AppError("scim_value_invalid", "Each member names a user by its id in value.", {
        attribute: "members",
      });
    }
    if (typeof type === "string" && type.toLowerCase() !== "user") {
      throw new AppError("scim_value_invalid", "Profile groups hold users only, not groups.", {
        attribute: "members",
      });
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export function fromScimGroup(resource: JsonObject): ScimGroupInput {
  const displayName = getIgnoringCase(resource, "displayName");
  if (typeof displayName !== "string" || displayName.trim() === "") {
    throw new AppError("scim_value_invalid", "A group needs a displayName (its path).", {
      attribute: "displayName",
    });
  }
  const externalId = getIgnoringCase(resource, "externalId");
  const members = getIgnoringCase(resource, "members");
  return {
    displayName: displayName.trim(),
    externalId: typeof externalId === "string" && externalId !== "" ? externalId : undefined,
    memberIds: members === undefined ? undefined : memberIdsOf(members),
  };
}
