import type { Executor } from "./schema.js";
import { sessionQueries, type SessionRow } from "./session-rows.js";

// The console's sessions (console_sessions); the portal's are in a table of the same shape (session-rows.ts).

export type ConsoleSessionRow = SessionRow;

const sessions = sessionQueries("console_sessions");

export const insertSession = sessions.insert;
export const findSessionBySecretHash = sessions.findBySecretHash;
export const touchSession = sessions.touch;

export function deleteSession(db: Executor, id: string): Promise<void> {
  return sessions.remove(db, { id });
}

/**
 * Ends the user's sessions, all of them or all but `except` (the session changing its own password):
 * whoever knew the old password is signed out.
 */
export function deleteSessionsOfUser(db: Executor, userId: string, except?: string): Promise<void> {
  return sessions.remove(db, { userId, except });
}
