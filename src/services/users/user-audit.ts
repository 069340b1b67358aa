import { findAccountById } from "../../store/accounts-repository.js";
import { countAuditRows, pageAuditRows, pageAuditRowsByKeyset } from "../../store/audit-repository.js";
import { resolveAuthorizedAccount } from "../account-lookup.js";
import { mapAuditRow, type AuditView } from "../audit-service.js";
import { authorize, type ServiceContext } from "../context.js";
import { LIST_COUNT_CAP, readEitherPage, type EitherPageRequest, type KeysetPage } from "../keyset-cursor.js";
import { findTarget } from "./find-users.js";
import type { Page } from "./page.js";

/** The audit trail of one user (changes to them, by address), newest first. */
export async function listUserAudit(
  context: ServiceContext,
  address: string,
  request: EitherPageRequest,
): Promise<Page<AuditView> & KeysetPage<AuditView>> {
  const target = await findTarget(context, address);
  await authorize(context.db, context.actor, target.accountId, "view_audit");
  return pageAudit(context, target.accountId, target.email, request);
}

/** The account's audit log, newest first. */
export async function listAccountAudit(
  context: ServiceContext,
  request: EitherPageRequest & { account?: string | undefined; address?: string | undefined },
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
  request: EitherPageRequest,
): Promise<Page<AuditView> & KeysetPage<AuditView>> {
  const account = await findAccountById(context.db, accountId);
  const codes = new Map(account ? [[account.id, account.code]] : []);
  const filter = { accountId, address };
  // With a cursor or a limit, keyset paging (issue 15): no offset to skip, a count that stops at a cap.
  const page = await readEitherPage(request, {
    list: "audit",
    fetch: (keyset) => pageAuditRowsByKeyset(context.db, filter, keyset),
    position: (row) => [row.at, row.seq, row.id],
    count: async () => {
      const total = await countAuditRows(context.db, filter, LIST_COUNT_CAP);
      return { total, totalCapped: total >= LIST_COUNT_CAP };
    },
    fetchOffset: (offset) => pageAuditRows(context.db, { ...filter, ...offset }),
  });
  return { ...page, items: page.items.map((row) => mapAuditRow(row, codes)) };
}
