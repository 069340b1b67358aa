import { keysetCondition, keysetDirection, type KeysetRequest } from "./keyset-page.js";
import type { Selectable, Updateable } from "kysely";
import type { Executor, ImportsTable } from "./schema.js";
import { findRowByKey, offsetPage } from "./table-rows.js";

export type ImportRow = Selectable<ImportsTable>;

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
  return findRowByKey(db, "imports", "id", id);
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

/** What a line of the import history shows: no lists of issues, which only the detail reads. */
export type ImportListRow = Omit<ImportRow, "errors_json" | "warnings_json" | "issue_counts_json">;

const LIST_COLUMNS = [
  "id",
  "account_id",
  "actor",
  "state",
  "file_name",
  "sha256",
  "options_json",
  "note",
  "sheet",
  "checkpoint",
  "summary_json",
  "error_count",
  "warning_count",
  "mode",
  "kind",
  "cancel_requested_at",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof ImportListRow)[];

/** One page of an account's imports, newest first. */
export async function listImportRowsPage(
  db: Executor,
  accountId: string,
  page: { offset: number; limit: number },
): Promise<{ rows: ImportListRow[]; total: number }> {
  return offsetPage(db.selectFrom("imports").where("account_id", "=", accountId), page, (q) =>
    q.select(LIST_COLUMNS).orderBy("created_at", "desc").orderBy("id", "desc"),
  );
}

export async function listImportRowsInStates(db: Executor, states: readonly string[]): Promise<ImportRow[]> {
  return db
    .selectFrom("imports")
    .selectAll()
    .where("state", "in", [...states])
    .orderBy("created_at")
    .execute();
}

/**
 * Moves an import to `changes.state` only while it is still in one of `from` (and, with `uncancelled`, nobody
 * has asked to cancel it); true when it moved.
 */
export async function updateImportInStates(
  db: Executor,
  id: string,
  from: readonly string[],
  changes: Updateable<ImportsTable>,
  uncancelled = false,
): Promise<boolean> {
  let query = db
    .updateTable("imports")
    .set(changes)
    .where("id", "=", id)
    .where("state", "in", [...from]);
  if (uncancelled) query = query.where("cancel_requested_at", "is", null);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a request to cancel an import still running (uploaded, or saving); true when it is running. */
export async function requestImportCancel(db: Executor, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable("imports")
    .set({ cancel_requested_at: at })
    .where("id", "=", id)
    .where("state", "in", ["uploaded", "saving"])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Whether someone has asked to cancel the import. */
export async function isImportCancelRequested(db: Executor, id: string): Promise<boolean> {
  const row = await db
    .selectFrom("imports")
    .select("cancel_requested_at")
    .where("id", "=", id)
    .executeTakeFirst();
  return row !== undefined && row.cancel_requested_at !== null;
}

/** A keyset page of an account's imports, newest first (the order of imports_account_created_idx). */
export async function pageImportRowsByKeyset(
  db: Executor,
  accountId: string,
  page: KeysetRequest,
): Promise<ImportListRow[]> {
  const { descending, backwards } = keysetDirection(page, true);
  let query = db.selectFrom("imports").select(LIST_COLUMNS).where("account_id", "=", accountId);
  const position = page.before ?? page.after;
  if (position !== undefined)
    query = query.where(keysetCondition(["created_at", "id"], position, !descending));
  const direction = descending ? "desc" : "asc";
  const rows = await query
    .orderBy("created_at", direction)
    .orderBy("id", direction)
    .limit(page.limit)
    .execute();
  return backwards ? rows.reverse() : rows;
}
