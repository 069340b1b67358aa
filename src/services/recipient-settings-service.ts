import { parseRecipientValidation, type RecipientValidation } from "../directory/account.js";
import { listSubtree } from "../directory/account-tree.js";
import { normalizeDomain } from "../directory/address.js";
import { parseUnknownRecipientAction, type UnknownRecipientAction } from "../directory/recipient-verdict.js";
import { AppError } from "../errors/app-error.js";
import { findAccountById, listAccountLinks } from "../store/accounts-repository.js";
import {
  findDomainByName,
  listDomainNamesOfAccounts,
  updateDomainRecipientValidation,
} from "../store/domains-repository.js";
import { findRecipientSettings, upsertRecipientSettings } from "../store/recipient-settings-repository.js";
import { resolveAccountWithinReach, resolveAuthorizedAccount } from "./account-lookup.js";
import type { DomainView } from "./accounts-service.js";
import { authorize, writeAudit, type ServiceContext } from "./context.js";
import type { RecipientCheck, RecipientIndex } from "./recipient-index.js";

/**
 * GET /api/v1/recipients/{address}: the verdict the SMTP listener would give, for an administrator of the
 * gateway's settings (manage_domains) or a token acting as one: the directory is not for anyone to probe.
 * An administrator learns verdicts only for the domains of their account and those nested under it; any
 * other address gets the reply of a domain internal to nobody (reject, 550), exactly.
 */
export async function checkRecipientAs(
  context: ServiceContext,
  index: RecipientIndex,
  request: { address: string; account?: string | undefined },
): Promise<RecipientCheck> {
  const { account } = await resolveAuthorizedAccount(
    context.db,
    context.actor,
    request.account,
    "manage_domains",
  );
  if (context.actor.kind === "system") return index.check(request.address);
  const subtree = listSubtree(await listAccountLinks(context.db), account.id).map((a) => a.id);
  const domains = new Set(await listDomainNamesOfAccounts(context.db, subtree));
  return index.check(request.address, { domains });
}

/** `domains set DOMAIN --recipient-validation MODE`. */
export async function setRecipientValidation(
  context: ServiceContext,
  request: { domain: string; recipientValidation: string },
): Promise<DomainView> {
  const mode: RecipientValidation = parseRecipientValidation(request.recipientValidation);
  const name = normalizeDomain(request.domain);
  if (name === undefined) {
    throw new AppError("domain_invalid", `"${request.domain}" is not a domain name.`, {
      domain: request.domain,
    });
  }
  return context.db.transaction().execute(async (tx) => {
    const domain = await findDomainByName(tx, name);
    if (!domain)
      throw new AppError("domain_not_found", `${name} is not an internal domain.`, { domain: name });
    const actor = await authorize(tx, context.actor, domain.account_id, "manage_domains");
    const account = await findAccountById(tx, domain.account_id);
    await updateDomainRecipientValidation(tx, domain.id, mode);
    const view: DomainView = { domain: name, account: account?.code ?? "", recipientValidation: mode };
    await writeAudit(tx, context, actor, [
      {
        accountId: domain.account_id,
        action: "domain.update",
        before: { recipientValidation: domain.recipient_validation },
        after: view,
      },
    ]);
    return view;
  });
}

/** `recipients set --unknown defer|reject`: what the account answers for an address its domain does not accept. */
export async function setUnknownRecipientAction(
  context: ServiceContext,
  request: { action: string; account?: string | undefined },
): Promise<{ account: string; unknownRecipients: UnknownRecipientAction }> {
  const action = parseUnknownRecipientAction(request.action);
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_domains");
    const before = await findRecipientSettings(tx, account.id);
    await upsertRecipientSettings(tx, {
      account_id: account.id,
      unknown_action: action,
      updated_at: context.now().toISOString(),
    });
    await writeAudit(tx, context, actor, [
      {
        accountId: account.id,
        action: "recipients.update",
        before: { unknownRecipients: before?.unknown_action ?? "defer" },
        after: { unknownRecipients: action },
      },
    ]);
    return { account: account.code, unknownRecipients: action };
  });
}
