import type { Selectable } from "kysely";
import type { ConsoleSessionsTable, Executor } from "./schema.js";

// The console's and the portal's sessions live in two tables of one shape (console_sessions and
// portal_sessions, keyed by the SHA-256 of the cookie's secret): the queries are written once here, and each
// table's repository fixes its name.

export type SessionTableName = "console_sessions" | "portal_sessions";
export type SessionRow = Selectable<ConsoleSessionsTable>;

/** One session by id, or every session of a user but `except` (the one changing its own password). */
export type SessionSelection = { id: string } | { userId: string; except?: string | undefined };

export interface SessionQueries {
  readonly insert: (db: Executor, row: SessionRow) => Promise<void>;
  readonly findBySecretHash: (db: Executor, secretHash: string) => Promise<SessionRow | undefined>;
  readonly touch: (db: Executor, id: string, lastSeenAt: string) => Promise<void>;
  readonly remove: (db: Executor, which: SessionSelection) => Promise<void>;
}

export function sessionQueries(table: SessionTableName): SessionQueries {
  return {
    insert: async (db, row) => {
      await db.insertInto(table).values(row).execute();
    },
    findBySecretHash: (db, secretHash) =>
      db.selectFrom(table).selectAll().where("secret_hash", "=", secretHash).executeTakeFirst(),
    touch: async (db, id, lastSeenAt) => {
      await db.updateTable(table).set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute();
    },
    remove: async (db, which) => {
      let query = db.deleteFrom(table);
      if ("id" in which) query = query.where("id", "=", which.id);
      else {
        query = query.where("user_id", "=", which.userId);
        if (which.except !== undefined) query = query.where("id", "!=", which.except);
      }
      await query.execute();
    },
  };
}
