import { listSubtree } from "../../directory/account-tree.js";
import { AppError } from "../../errors/app-error.js";
import { listAccountLinks } from "../../store/accounts-repository.js";
import { findApiTokenById } from "../../store/api-tokens-repository.js";
import { authorize, writeAudit, type Authorized, type ServiceContext, type Tx } from "../context.js";

/** A SCIM client: an API token acting as its administrator, within the token's account and those under it. */
export interface ScimCaller {
  readonly context: ServiceContext;
  readonly token: { readonly id: string; readonly accountId: string };
  /** The base URL of /scim/v2 as the client reached it, for meta.location and $ref. */
  readonly baseUrl: string;
}

/** The accounts a SCIM caller reaches (the token's and those nested under it), after the permission check. */
export async function scimReach(
  caller: ScimCaller,
  permission: "manage_users" | "manage_groups",
): Promise<string[]> {
  await authorize(caller.context.db, caller.context.actor, caller.token.accountId, permission);
  const links = await listAccountLinks(caller.context.db);
  return listSubtree(links, caller.token.accountId).map((a) => a.id);
}

/** The same answer for a missing id and one outside the token's reach: no oracle of other tenants. */
export function resourceNotFound(type: "User" | "Group", id: string): AppError {
  return new AppError("scim_resource_not_found", `No ${type} has the id ${id.slice(0, 100)}.`, {
    resourceType: type,
  });
}

// A request reads its token's name once, for its audit rows and its activity entry.
const tokenNames = new WeakMap<ScimCaller, Promise<string>>();

/** The name of the caller's token (as it was when the request began). */
export function scimTokenName(caller: ScimCaller): Promise<string> {
  let name = tokenNames.get(caller);
  if (!name) {
    name = findApiTokenById(caller.context.db, caller.token.id).then((row) => row?.name ?? "");
    tokenNames.set(caller, name);
  }
  return name;
}

/**
 * The audit row that names the token beside the change's own rows (user.update, group.add_member, ...), in
 * the same transaction: who (the actor column) and through which token.
 */
export async function auditScim(
  tx: Tx,
  caller: ScimCaller,
  actor: Authorized,
  entry: { accountId: string; action: string; address?: string | undefined; after?: object | undefined },
): Promise<void> {
  const name = await scimTokenName(caller);
  await writeAudit(tx, caller.context, actor, [
    {
      accountId: entry.accountId,
      action: entry.action,
      address: entry.address,
      after: { ...entry.after, token: { id: caller.token.id, name } },
    },
  ]);
}

/**
 * What a SCIM link row (scim_users, scim_groups) records beside the user or group it links: the account, the
 * client's externalId, and the token that wrote it, now.
 */
export function scimLink(
  caller: ScimCaller,
  accountId: string,
  externalId: string | null,
): { account_id: string; external_id: string | null; token_id: string; created_at: string } {
  return {
    account_id: accountId,
    external_id: externalId,
    token_id: caller.token.id,
    created_at: caller.context.now().toISOString(),
  };
}
