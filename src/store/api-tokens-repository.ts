import type { Selectable, Updateable } from "kysely";
import type { ApiTokensTable, Executor } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type ApiTokenRow = Selectable<ApiTokensTable>;

export async function insertApiToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto("api_tokens").values(row).execute();
}

export async function findApiTokenById(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return findRowByKey(db, "api_tokens", "id", id);
}

export async function listApiTokenRows(
  db: Executor,
  accountId: string,
): Promise<(ApiTokenRow & { email: string })[]> {
  return db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .selectAll("api_tokens")
    .select("users.email")
    .where("api_tokens.account_id", "=", accountId)
    .orderBy("api_tokens.created_at")
    .orderBy("api_tokens.id")
    .execute();
}

export async function updateApiToken(
  db: Executor,
  id: string,
  changes: Updateable<ApiTokensTable>,
): Promise<void> {
  await db.updateTable("api_tokens").set(changes).where("id", "=", id).execute();
}

/**
 * Revokes every live token acting as the user (a password reset or a lock: the credentials of whoever knew
 * the old password die with it). Returns the tokens it revoked, for the audit.
 */
export async function revokeApiTokensOfUser(
  db: Executor,
  userId: string,
  revokedAt: string,
): Promise<{ id: string; account_id: string; name: string }[]> {
  const live = await db
    .selectFrom("api_tokens")
    .select(["id", "account_id", "name"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("id")
    .execute();
  if (live.length > 0) {
    await db
      .updateTable("api_tokens")
      .set({ revoked_at: revokedAt })
      .where("user_id", "=", userId)
      .where("revoked_at", "is", null)
      .execute();
  }
  return live;
}
