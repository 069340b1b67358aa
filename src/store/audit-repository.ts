import { keysetCondition, keysetDirection, type KeysetRequest, type KeysetValue } from "./keyset-page.js";
import type { Selectable } from "kysely";
import { insertRecords } from "./bulk/bulk-insert.js";
import type { AuditLogTable, Executor } from "./schema.js";
import { countRows, offsetPage } from "./table-rows.js";

export type AuditRow = Selectable<AuditLogTable>;

export async function insertAuditRows(db: Executor, rows: readonly AuditRow[]): Promise<void> {
  // An import writes one row per user it touched: tens of thousands, so as bulk statements.
  await insertRecords(
    db,
    "audit_log",
    ["id", "account_id", "seq", "at", "actor", "action", "address", "before_json", "after_json"],
    rows,
  );
}

export async function listAuditRows(
  db: Executor,
  filter: { accountIds?: readonly string[]; limit: number },
): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (filter.accountIds) {
    if (filter.accountIds.length === 0) return [];
    query = query.where("account_id", "in", [...filter.accountIds]);
  }
  return query.orderBy("at").orderBy("seq").orderBy("id").limit(filter.limit).execute();
}

/** One page of an account's audit rows, newest first, optionally about one address. */
export async function pageAuditRows(
  db: Executor,
  filter: { accountId: string; address?: string | undefined; offset: number; limit: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  let query = db.selectFrom("audit_log").where("account_id", "=", filter.accountId);
  if (filter.address !== undefined) query = query.where("address", "=", filter.address);
  return offsetPage(query, filter, (q) => q.selectAll().orderBy("at", "desc").orderBy("seq", "desc"));
}

const AUDIT_ORDER = ["at", "seq", "id"] as const;

/** A keyset page of an account's audit rows, newest first; one more than `limit` says another page follows. */
export async function pageAuditRowsByKeyset(
  db: Executor,
  filter: { accountId: string; address?: string | undefined },
  page: KeysetRequest,
): Promise<AuditRow[]> {
  const { descending, backwards } = keysetDirection(page, true);
  let query = db.selectFrom("audit_log").selectAll().where("account_id", "=", filter.accountId);
  if (filter.address !== undefined) query = query.where("address", "=", filter.address);
  const position = page.before ?? page.after;
  if (position !== undefined) query = query.where(keysetCondition(AUDIT_ORDER, position, !descending));
  const direction = descending ? "desc" : "asc";
  const rows = await query
    .orderBy("at", direction)
    .orderBy("seq", direction)
    .orderBy("id", direction)
    .limit(page.limit)
    .execute();
  return backwards ? rows.reverse() : rows;
}

/** How many audit rows the account has (about one address or all), counted up to `cap`. */
export async function countAuditRows(
  db: Executor,
  filter: { accountId: string; address?: string | undefined },
  cap: number,
): Promise<number> {
  let inner = db.selectFrom("audit_log").select("id").where("account_id", "=", filter.accountId);
  if (filter.address !== undefined) inner = inner.where("address", "=", filter.address);
  return countRows(db.selectFrom(inner.limit(cap).as("m")));
}

/** The audit rows after a position (at, seq, id), oldest first, of some accounts or all: a keyset scan. */
export async function listAuditRowsAfter(
  db: Executor,
  filter: { accountIds?: readonly string[]; after?: readonly KeysetValue[] | undefined; limit: number },
): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll();
  if (filter.accountIds) {
    if (filter.accountIds.length === 0) return [];
    query = query.where("account_id", "in", [...filter.accountIds]);
  }
  if (filter.after) query = query.where(keysetCondition(AUDIT_ORDER, filter.after, true));
  return query.orderBy("at").orderBy("seq").orderBy("id").limit(filter.limit).execute();
}

/**
 * The users an import created or changed (its user.create / user.update rows, which name the import in
 * their `after`), in the order written; `limit` bounds a page (the results view shows the first 50).
 */
export async function listImportUserChanges(
  db: Executor,
  filter: { accountId: string; importId: string; from: string; limit?: number },
): Promise<{ address: string; action: string }[]> {
  let query = db
    .selectFrom("audit_log")
    .select(["address", "action"])
    .where("account_id", "=", filter.accountId)
    .where("at", ">=", filter.from)
    .where("action", "in", ["user.create", "user.update"])
    // The id is ours (letters, digits, "-"), so it needs no LIKE escaping.
    .where("after_json", "like", `{"importId":"${filter.importId.replace(/[^A-Za-z0-9-]/g, "")}"%`)
    .orderBy("at")
    .orderBy("seq");
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  const rows = await query.execute();
  return rows.flatMap((r) => (r.address === null ? [] : [{ address: r.address, action: r.action }]));
}
