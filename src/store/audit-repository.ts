import type { Selectable } from "kysely";
import { insertRows } from "./bulk/bulk-insert.js";
import type { AuditLogTable, Executor } from "./schema.js";

export type AuditRow = Selectable<AuditLogTable>;

export async function insertAuditRows(db: Executor, rows: readonly AuditRow[]): Promise<void> {
  // An import writes one row per user it touched: tens of thousands, so as bulk statements.
  await insertRows(
    db,
    "audit_log",
    ["id", "account_id", "seq", "at", "actor", "action", "address", "before_json", "after_json"],
    rows.map((r) => [
      r.id,
      r.account_id,
      r.seq,
      r.at,
      r.actor,
      r.action,
      r.address,
      r.before_json,
      r.after_json,
    ]),
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
  const counted = await query
    .select((eb) => eb.fn.countAll<number | string>().as("total"))
    .executeTakeFirst();
  const rows = await query
    .selectAll()
    .orderBy("at", "desc")
    .orderBy("seq", "desc")
    .offset(filter.offset)
    .limit(filter.limit)
    .execute();
  return { rows, total: Number(counted?.total ?? 0) };
}
