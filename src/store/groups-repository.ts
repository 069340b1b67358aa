import type { Selectable } from "kysely";
import { insertRows } from "./bulk/bulk-insert.js";
import { forEachKeyChunk, inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { Executor, GroupsTable } from "./schema.js";

// Groups (profile_groups, by path) and their members (group_members).

export type GroupRow = Selectable<GroupsTable>;

export async function findGroupsByPathKeys(
  db: Executor,
  accountId: string,
  pathKeys: readonly string[],
): Promise<GroupRow[]> {
  return selectInChunks(pathKeys, (chunk) =>
    db
      .selectFrom("profile_groups")
      .selectAll()
      .where("account_id", "=", accountId)
      .where(inKeys(db, "path_key", chunk))
      .execute(),
  );
}

export async function insertGroup(db: Executor, row: GroupRow): Promise<void> {
  await db.insertInto("profile_groups").values(row).execute();
}

/** Memberships; one already there is left as it is. */
export async function insertGroupMembers(
  db: Executor,
  rows: readonly { account_id: string; group_id: string; user_id: string }[],
): Promise<void> {
  await insertRows(
    db,
    "group_members",
    ["account_id", "group_id", "user_id"],
    rows.map((m) => [m.account_id, m.group_id, m.user_id]),
    " on conflict (group_id, user_id) do nothing",
  );
}

export async function deleteGroupMembersBulk(
  db: Executor,
  groupId: string,
  userIds: readonly string[],
): Promise<void> {
  await forEachKeyChunk(userIds, (chunk) =>
    db
      .deleteFrom("group_members")
      .where("group_id", "=", groupId)
      .where(inKeys(db, "user_id", chunk))
      .execute(),
  );
}

export async function listGroupMemberEmails(db: Executor, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("group_members")
    .innerJoin("users", "users.id", "group_members.user_id")
    .select("users.email")
    .where("group_members.group_id", "=", groupId)
    .orderBy("users.email_key")
    .execute();
  return rows.map((r) => r.email);
}

export async function loadGroupMembers(
  db: Executor,
  groupId: string,
): Promise<{ user_id: string; email: string }[]> {
  return db
    .selectFrom("group_members")
    .innerJoin("users", "users.id", "group_members.user_id")
    .select(["group_members.user_id", "users.email"])
    .where("group_members.group_id", "=", groupId)
    .execute();
}

export async function findGroupPathsByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; path: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("group_members")
      .innerJoin("profile_groups", "profile_groups.id", "group_members.group_id")
      .select(["group_members.user_id", "profile_groups.path"])
      .where(inKeys(db, "group_members.user_id", chunk))
      .orderBy("profile_groups.path_key")
      .execute(),
  );
}

/** Every group of the account with its direct member count, ordered by path so parents come first. */
export async function listGroupsWithCounts(
  db: Executor,
  accountId: string,
): Promise<(GroupRow & { members: number | string })[]> {
  return db
    .selectFrom("profile_groups")
    .leftJoin("group_members", "group_members.group_id", "profile_groups.id")
    .selectAll("profile_groups")
    .select((eb) => eb.fn.count<number | string>("group_members.user_id").as("members"))
    .where("profile_groups.account_id", "=", accountId)
    .groupBy([
      "profile_groups.id",
      "profile_groups.account_id",
      "profile_groups.parent_id",
      "profile_groups.name",
      "profile_groups.path",
      "profile_groups.path_key",
    ])
    .orderBy("profile_groups.path_key")
    .execute();
}
