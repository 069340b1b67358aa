import type { Selectable } from "kysely";
import { insertRecords } from "./bulk/bulk-insert.js";
import type { Executor, PasswordHistoryTable } from "./schema.js";

// The hashes of each user's recent passwords, for the policy's "not one of the last N".

export type PasswordHistoryRow = Selectable<PasswordHistoryTable>;

export async function insertPasswordHistory(db: Executor, row: PasswordHistoryRow): Promise<void> {
  await db.insertInto("password_history").values(row).execute();
}

export async function insertPasswordHistoryBulk(
  db: Executor,
  rows: readonly PasswordHistoryRow[],
): Promise<void> {
  await insertRecords(
    db,
    "password_history",
    ["id", "account_id", "user_id", "password_hash", "set_at"],
    rows,
  );
}

export async function findRecentPasswordHashes(
  db: Executor,
  userId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("password_history")
    .select("password_hash")
    .where("user_id", "=", userId)
    .orderBy("set_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => r.password_hash);
}
