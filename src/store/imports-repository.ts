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

/** One page of an account's imports, newest first. */
export async function listImportRowsPage(
  db: Executor,
  accountId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: ImportRow[]; total: number }> {
  const rows = await db
    .selectFrom("imports")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  const counted = await db
    .selectFrom("imports")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("account_id", "=", accountId)
    .executeTakeFirst();
  return { rows, total: Number(counted?.n ?? 0) };
}

export async function listImportRowsInStates(db: Executor, states: readonly string[]): Promise<ImportRow[]> {
  return db
    .selectFrom("imports")
    .selectAll()
    .where("state", "in", [...states])
    .orderBy("created_at")
    .execute();
}

/** Moves an import to `changes.state` only while it is still in one of `from`; true when it moved. */
export async function updateImportInStates(
  db: Executor,
  id: string,
  from: readonly string[],
  changes: Updateable<ImportsTable>,
): Promise<boolean> {
  const result = await db
    .updateTable("imports")
    .set(changes)
    .where("id", "=", id)
    .where("state", "in", [...from])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
