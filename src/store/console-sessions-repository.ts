import type { Selectable, Updateable } from "kysely";
import type { ApiTokensTable, ConsoleSessionsTable, Executor, SignInFailuresTable } from "./schema.js";

export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type SignInFailuresRow = Selectable<SignInFailuresTable>;

export async function insertSession(db: Executor, row: ConsoleSessionRow): Promise<void> {
  await db.insertInto("console_sessions").values(row).execute();
}

export async function findSessionBySecretHash(
  db: Executor,
  secretHash: string,
): Promise<ConsoleSessionRow | undefined> {
  return db
    .selectFrom("console_sessions")
    .selectAll()
    .where("secret_hash", "=", secretHash)
    .executeTakeFirst();
}

export async function touchSession(db: Executor, id: string, lastSeenAt: string): Promise<void> {
  await db.updateTable("console_sessions").set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("console_sessions").where("id", "=", id).execute();
}

/**
 * Ends the user's sessions, all of them or all but `except` (the session changing its own password):
 * whoever knew the old password is signed out.
 */
export async function deleteSessionsOfUser(db: Executor, userId: string, except?: string): Promise<void> {
  let query = db.deleteFrom("console_sessions").where("user_id", "=", userId);
  if (except !== undefined) query = query.where("id", "!=", except);
  await query.execute();
}

export async function insertApiToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto("api_tokens").values(row).execute();
}

export async function findApiTokenById(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom("api_tokens").selectAll().where("id", "=", id).executeTakeFirst();
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

export async function findSignInFailures(
  db: Executor,
  userId: string,
): Promise<SignInFailuresRow | undefined> {
  return db.selectFrom("sign_in_failures").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function upsertSignInFailures(db: Executor, row: SignInFailuresRow): Promise<void> {
  await db
    .insertInto("sign_in_failures")
    .values(row)
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({
        failures: row.failures,
        last_failure_at: row.last_failure_at,
        locked_until: row.locked_until,
      }),
    )
    .execute();
}

export async function deleteSignInFailures(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("user_id", "=", userId).execute();
}
