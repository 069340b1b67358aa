import { findAccountById } from "../../store/accounts-repository.js";
import { countAuditRows, pageAuditRows, pageAuditRowsByKeyset } from "../../store/audit-repository.js";
import { resolveAuthorizedAccount } from "../account-lookup.js";
import { mapAuditRow, type AuditView } from "../audit-service.js";
import { authorize, type ServiceContext } from "../context.js";
import { LIST_COUNT_CAP, readKeysetPage, type KeysetPage } from "../keyset-cursor.js";
import { findTarget } from "./find-users.js";
import type { Page } from "./page.js";

/** The audit trail of one user (changes to them, by address), newest first. */
export async function listUserAudit(
  context: ServiceContext,
  address: string,
  request: { page: number; pageSize: number; cursor?: string | undefined; limit?: number | undefined },
): Promise<Page<AuditView> & KeysetPage<AuditView>> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "view_audit");
  return pageAudit(context, target.accountId, target.email, request);
}

/** The account's audit log, newest first. */
export async function listAccountAudit(
  context: ServiceContext,
  request: {
    account?: string | undefined;
    address?: string | undefined;
    page: number;
    pageSize: number;
    cursor?: string | undefined;
    limit?: number | undefined;
  },
): Promise<Page<AuditView> & KeysetPage<AuditView>> {
  const { account } = await resolveAuthorizedAccount(
    context.db,
    context.actor,
    request.account,
    "view_audit",
  );
  return pageAudit(context, account.id, request.address, request);
}

async function pageAudit(
  context: ServiceContext,
  accountId: string,
  address: string | undefined,
  request: { page: number; pageSize: number; cursor?: string | undefined; limit?: number | undefined },
): Promise<Page<AuditView> & KeysetPage<AuditView>> {
  const account = await findAccountById(context.db, accountId);
  const codes = new Map(account ? [[account.id, account.code]] : []);
  if (request.cursor !== undefined || request.limit !== undefined) {
    // Keyset paging (issue 15): no offset to skip, a count that stops at a cap.
    const limit = request.limit ?? request.pageSize;
    const filter = { accountId, address };
    const page = await readKeysetPage({
      list: "audit",
      cursor: request.cursor,
      limit,
      fetch: (keyset) => pageAuditRowsByKeyset(context.db, filter, keyset),
      position: (row) => [row.at, row.seq, row.id],
    });
    const total = await countAuditRows(context.db, filter, LIST_COUNT_CAP);
    return {
      items: page.rows.map((row) => mapAuditRow(row, codes)),
      nextCursor: page.nextCursor,
      prevCursor: page.prevCursor,
      total,
      totalCapped: total >= LIST_COUNT_CAP,
      page: 1,
      pageSize: limit,
    };
  }
  const { rows, total } = await pageAuditRows(context.db, {
    accountId,
    address,
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  return {
    items: rows.map((row) => mapAuditRow(row, codes)),
    nextCursor: null,
    prevCursor: null,
    total,
    totalCapped: false,
    page: request.page,
    pageSize: request.pageSize,
  };
}
