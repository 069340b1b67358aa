import type { Selectable } from "kysely";
import type { ConsoleSessionsTable, Executor } from "./schema.js";

export type ConsoleSessionRow = Selectable<ConsoleSessionsTable>;

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
