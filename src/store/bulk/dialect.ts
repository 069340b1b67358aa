import { PostgresAdapter } from "kysely";
import type { Executor } from "../schema.js";

/** PostgreSQL (a server or PGlite) rather than SQLite: the bulk toolkit writes each its own way. */
export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
