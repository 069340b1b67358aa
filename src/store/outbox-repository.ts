import type { Selectable, Updateable } from "kysely";
import type { Executor, OutboxTable } from "./schema.js";

export type OutboxRow = Selectable<OutboxTable>;

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
