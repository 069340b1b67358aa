import type { JsonObject } from "../../scim/json-resource.js";
import { toScimUser, type DirectoryUser } from "../../scim/user-mapping.js";
import { findGroupMembershipsByUserIds } from "../../store/groups-repository.js";
import type { Executor } from "../../store/schema.js";
import { findScimUsersByUserIds } from "../../store/scim-users-repository.js";
import { findUsersByIds } from "../../store/users-repository.js";
import { loadUserViews, type UserView } from "../users/user-view.js";

export function directoryUserOf(view: UserView): DirectoryUser {
  return {
    email: view.email,
    name: view.name,
    aliases: view.aliases,
    locked: view.locked,
    attributes: view.attributes,
  };
}

/** One loaded user: their view, their SCIM resource and their account. */
export interface LoadedScimUser {
  readonly id: string;
  readonly accountId: string;
  readonly view: UserView;
  readonly externalId: string | null;
  readonly resource: JsonObject;
}

/** The users as SCIM resources, in the order of `ids`, with a fixed number of queries. */
export async function loadScimUsers(
  db: Executor,
  ids: readonly string[],
  baseUrl: string,
): Promise<LoadedScimUser[]> {
  if (ids.length === 0) return [];
  const views = await loadUserViews(db, ids);
  const rows = new Map((await findUsersByIds(db, ids)).map((u) => [u.id, u]));
  const external = new Map((await findScimUsersByUserIds(db, ids)).map((s) => [s.user_id, s.external_id]));
  const groups = new Map<string, { id: string; path: string }[]>();
  for (const m of await findGroupMembershipsByUserIds(db, ids)) {
    const list = groups.get(m.user_id) ?? [];
    list.push({ id: m.group_id, path: m.path });
    groups.set(m.user_id, list);
  }
  return ids.flatMap((id) => {
    const view = views.get(id);
    const row = rows.get(id);
    if (!view || !row) return [];
    const externalId = external.get(id) ?? null;
    const resource = toScimUser(directoryUserOf(view), {
      id,
      externalId,
      created: row.created_at,
      lastModified: row.updated_at,
      baseUrl,
      groups: groups.get(id) ?? [],
    });
    return [{ id, accountId: row.account_id, view, externalId, resource }];
  });
}
