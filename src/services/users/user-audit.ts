import { findAccountById } from "../../store/accounts-repository.js";
import { pageAuditRows } from "../../store/audit-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { mapAuditRow, type AuditView } from "../audit-service.js";
import { authorize, type ServiceContext } from "../context.js";
import { findTarget } from "./find-users.js";
import type { Page } from "./page.js";

/** The audit trail of one user (changes to them, by address), newest first. */
export async function listUserAudit(
  context: ServiceContext,
  address: string,
  request: { page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "view_audit");
  return pageAudit(context, target.accountId, target.email, request);
}

/** The account's audit log, newest first. */
export async function listAccountAudit(
  context: ServiceContext,
  request: { account?: string | undefined; address?: string | undefined; page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "view_audit");
  return pageAudit(context, account.id, request.address, request);
}

async function pageAudit(
  context: ServiceContext,
  accountId: string,
  address: string | undefined,
  request: { page: number; pageSize: number },
): Promise<Page<AuditView>> {
  const { rows, total } = await pageAuditRows(context.db, {
    accountId,
    address,
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  const account = await findAccountById(context.db, accountId);
  const codes = new Map(account ? [[account.id, account.code]] : []);
  return {
    items: rows.map((row) => mapAuditRow(row, codes)),
    total,
    page: request.page,
    pageSize: request.pageSize,
  };
}
