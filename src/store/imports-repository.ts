import type { Selectable, Updateable } from "kysely";
import type { Executor, ImportsTable, OutboxTable } from "./schema.js";

export type ImportRow = Selectable<ImportsTable>;
export type OutboxRow = Selectable<OutboxTable>;

export async function insertImport(db: Executor, row: ImportRow): Promise<void> {
  await db.insertInto("imports").values(row).execute();
}

export async function updateImport(
  db: Executor,
  id: string,
  changes: Updateable<ImportsTable>,
): Promise<void> {
  await db.updateTable("imports").set(changes).where("id", "=", id).execute();
}

export async function findImportById(db: Executor, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom("imports").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listImportRows(
  db: Executor,
  accountIds: readonly string[] | undefined,
): Promise<ImportRow[]> {
  let query = db.selectFrom("imports").selectAll();
  if (accountIds) {
    if (accountIds.length === 0) return [];
    query = query.where("account_id", "in", [...accountIds]);
  }
  return query.orderBy("created_at").orderBy("id").execute();
}

export async function insertOutbox(db: Executor, row: OutboxRow): Promise<void> {
  await db.insertInto("outbox").values(row).execute();
}

export async function listOutboxRows(db: Executor, state?: string): Promise<OutboxRow[]> {
  let query = db.selectFrom("outbox").selectAll();
  if (state !== undefined) query = query.where("state", "=", state);
  return query.orderBy("created_at").orderBy("id").execute();
}

export async function updateOutbox(
  db: Executor,
  id: string,
  changes: Updateable<OutboxTable>,
): Promise<void> {
  await db.updateTable("outbox").set(changes).where("id", "=", id).execute();
}
