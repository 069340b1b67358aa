import type { Selectable } from "kysely";
import type { Executor, GroupsTable } from "./schema.js";

export type GroupRow = Selectable<GroupsTable>;

export async function findGroupsByPathKeys(
  db: Executor,
  accountId: string,
  pathKeys: readonly string[],
): Promise<GroupRow[]> {
  if (pathKeys.length === 0) return [];
  return db
    .selectFrom("profile_groups")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("path_key", "in", [...pathKeys])
    .execute();
}

export async function insertGroup(db: Executor, row: GroupRow): Promise<void> {
  await db.insertInto("profile_groups").values(row).execute();
}

export async function insertGroupMembers(
  db: Executor,
  rows: readonly { account_id: string; group_id: string; user_id: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("group_members")
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(["group_id", "user_id"]).doNothing())
      .execute();
  }
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
