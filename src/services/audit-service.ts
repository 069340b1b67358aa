import { listAuditRows, listAuditRowsAfter, type AuditRow } from "../store/audit-repository.js";
import { listAccounts } from "../store/accounts-repository.js";
import { resolveAccountIfNamed } from "./account-lookup.js";
import type { ServiceContext } from "./context.js";
import type { AuditView } from "./view-schemas.js";

export type { AuditView } from "./view-schemas.js";

function parseJson(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

export function mapAuditRow(row: AuditRow, codes: ReadonlyMap<string, string>): AuditView {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action,
    account: codes.get(row.account_id) ?? row.account_id,
    address: row.address,
    before: parseJson(row.before_json),
    after: parseJson(row.after_json),
  };
}

/** `audit list`: oldest first. */
export async function listAudit(
  context: ServiceContext,
  request: { account?: string | undefined; limit?: number | undefined },
): Promise<AuditView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const rows = await listAuditRows(context.db, {
    ...(account ? { accountIds: [account.id] } : {}),
    limit: request.limit ?? 10_000,
  });
  const codes = new Map((await listAccounts(context.db)).map((a) => [a.id, a.code]));
  return rows.map((row) => mapAuditRow(row, codes));
}

/** `audit list`, streamed: oldest first, a page at a time (at most `limit` entries when given). */
export async function* streamAudit(
  context: ServiceContext,
  request: { account?: string | undefined; limit?: number | undefined },
  pageSize = 1000,
): AsyncGenerator<AuditView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const codes = new Map((await listAccounts(context.db)).map((a) => [a.id, a.code]));
  let left = request.limit ?? Number.POSITIVE_INFINITY;
  let after: AuditRow | undefined;
  while (left > 0) {
    const rows = await listAuditRowsAfter(context.db, {
      ...(account ? { accountIds: [account.id] } : {}),
      after: after && [after.at, after.seq, after.id],
      limit: Math.min(pageSize, left),
    });
    if (rows.length === 0) return;
    yield rows.map((row) => mapAuditRow(row, codes));
    left -= rows.length;
    after = rows.at(-1);
  }
}
