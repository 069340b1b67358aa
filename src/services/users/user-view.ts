import { isRoleId, getRole } from "../../directory/roles.js";
import type { UserType } from "../../directory/user.js";
import type { UserView } from "../view-schemas.js";
import { findAccountById } from "../../store/accounts-repository.js";
import type { Executor } from "../../store/schema.js";
import { findAddressesByUserIds } from "../../store/addresses-repository.js";
import { findAttributeValuesByUserIds } from "../../store/attributes-repository.js";
import { findGroupPathsByUserIds } from "../../store/groups-repository.js";
import { findNotesByUserIds } from "../../store/notes-repository.js";
import { findRolesByUserIds } from "../../store/roles-repository.js";
import { findUsersByIds } from "../../store/users-repository.js";

export type { UserView } from "../view-schemas.js";

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(key(row));
    if (list) list.push(row);
    else map.set(key(row), [row]);
  }
  return map;
}

/** Loads the views of the given users, in the order of `userIds`, with a fixed number of queries. */
export async function loadUserViews(
  db: Executor,
  userIds: readonly string[],
): Promise<Map<string, UserView>> {
  const users = await findUsersByIds(db, userIds);
  const addresses = groupBy(await findAddressesByUserIds(db, userIds), (r) => r.user_id);
  const attributes = groupBy(await findAttributeValuesByUserIds(db, userIds), (r) => r.user_id);
  const groups = groupBy(await findGroupPathsByUserIds(db, userIds), (r) => r.user_id);
  const roles = groupBy(await findRolesByUserIds(db, userIds), (r) => r.user_id);
  const notes = groupBy(await findNotesByUserIds(db, userIds), (r) => r.user_id);
  const accountCodes = new Map<string, string>();
  for (const accountId of new Set(users.map((u) => u.account_id))) {
    accountCodes.set(accountId, (await findAccountById(db, accountId))?.code ?? "");
  }
  const byId = new Map(users.map((u) => [u.id, u]));
  const views = new Map<string, UserView>();
  for (const id of userIds) {
    const user = byId.get(id);
    if (!user) continue;
    views.set(id, {
      email: user.email,
      name: user.name,
      type: user.type as UserType,
      account: accountCodes.get(user.account_id) ?? "",
      forceChangePassword: user.force_change_password === 1,
      passwordNeverExpires: user.password_never_expires === 1,
      locked: user.locked === 1,
      pop: user.pop === 1,
      submit: user.submit === 1,
      hasPassword: user.password_hash !== null,
      aliases: (addresses.get(id) ?? []).filter((a) => a.kind === "alias").map((a) => a.address),
      attributes: Object.fromEntries((attributes.get(id) ?? []).map((a) => [a.name, a.value])),
      groups: (groups.get(id) ?? []).map((g) => g.path),
      roles: (roles.get(id) ?? [])
        .map((r) => r.role)
        .filter(isRoleId)
        .map((role) => getRole(role).name)
        .sort(),
      notes: (notes.get(id) ?? []).map((n) => ({ text: n.text, by: n.author, at: n.created_at })),
    });
  }
  return views;
}
