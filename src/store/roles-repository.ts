import { insertRecords } from "./bulk/bulk-insert.js";
import { inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { Executor } from "./schema.js";

// The administrator roles given to users (role_assignments).

export async function findRolesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; role: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("role_assignments")
      .select(["user_id", "role"])
      .where(inKeys(db, "user_id", chunk))
      .execute(),
  );
}

export async function insertRoleAssignment(
  db: Executor,
  row: { account_id: string; user_id: string; role: string },
): Promise<void> {
  await db
    .insertInto("role_assignments")
    .values(row)
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
}

export async function insertRoleAssignmentsBulk(
  db: Executor,
  rows: readonly { account_id: string; user_id: string; role: string }[],
): Promise<void> {
  await insertRecords(
    db,
    "role_assignments",
    ["account_id", "user_id", "role"],
    rows,
    " on conflict (user_id, role) do nothing",
  );
}

/** The primary address of the account's first user (oldest, then by address) holding `role`, if any. */
export async function findFirstEmailWithRole(
  db: Executor,
  accountId: string,
  role: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("role_assignments")
    .innerJoin("users", "users.id", "role_assignments.user_id")
    .select("users.email")
    .where("role_assignments.role", "=", role)
    .where("users.account_id", "=", accountId)
    .orderBy("users.created_at")
    .orderBy("users.email_key")
    .executeTakeFirst();
  return row?.email;
}
