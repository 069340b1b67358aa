import { randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors/app-error.js";
import {
  findApiTokenById,
  insertApiToken,
  listApiTokenRows,
  updateApiToken,
  type ApiTokenRow,
} from "../store/api-tokens-repository.js";
import type { Executor } from "../store/schema.js";
import { findAccountById } from "../store/accounts-repository.js";
import { findAddressesByKeys } from "../store/addresses-repository.js";
import { findUsersByIds } from "../store/users-repository.js";
import { addressKey } from "../directory/address.js";
import { resolveAccountWithinReach, resolveAuthorizedAccount } from "./account-lookup.js";
import { hashSecret, loadPrincipal, type Principal } from "./auth-service.js";
import { authorize, newId, writeAudit, type Actor, type ServiceContext } from "./context.js";
import type { ApiTokenView } from "./view-schemas.js";

export type { ApiTokenView } from "./view-schemas.js";

function mapToken(row: ApiTokenRow, email: string): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    actsAs: email,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Tokens are managed from a signed-in session only: a token that could mint tokens would outlive its own
 * revocation (and one limited to a sub-account could mint wider ones, or list and revoke the others).
 */
function refuseTokenCaller(actor: Actor): void {
  if (actor.kind === "user" && actor.token !== undefined) {
    throw new AppError("token_not_allowed", "API tokens are managed from a signed-in console session.", {});
  }
}

// `mrt.<id>.<secret>`: the id finds the row, the secret is compared with its stored SHA-256. A token is 32
// random bytes, so a fast hash is enough (argon2 exists to slow guessing of low-entropy passwords).
const TOKEN_PATTERN = /^mrt\.([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

/**
 * Creates a token that acts as the calling administrator (with their roles, as they are at each use), within
 * the given account and those nested under it. Managing tokens needs manage_roles (a token is a credential)
 * and a session, not a token. The secret is returned here, once.
 */
export async function createApiToken(
  context: ServiceContext,
  request: { name: string; account?: string | undefined },
): Promise<{ token: string; view: ApiTokenView }> {
  if (context.actor.kind !== "user") {
    throw new AppError("permission_denied", "An API token acts as an administrator: sign in first.", {});
  }
  refuseTokenCaller(context.actor);
  const email = context.actor.email;
  const name = request.name.trim();
  if (name.length === 0 || name.length > 100) {
    throw new AppError("request_invalid", "A token's name is 1 to 100 characters.", { field: "name" });
  }
  const secret = randomBytes(32).toString("base64url");
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_roles");
    const [address] = await findAddressesByKeys(tx, [addressKey(email)]);
    if (!address)
      throw new AppError("user_not_found", `No user has the address ${email}.`, { address: email });
    const row: ApiTokenRow = {
      id: newId(),
      account_id: account.id,
      user_id: address.user_id,
      name,
      secret_hash: hashSecret(secret),
      created_by: actor.name,
      created_at: context.now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await insertApiToken(tx, row);
    const view = mapToken(row, email);
    await writeAudit(tx, context, actor, [
      { accountId: account.id, action: "api_token.create", after: view },
    ]);
    return { token: `mrt.${row.id}.${secret}`, view };
  });
}

export async function listApiTokens(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<ApiTokenView[]> {
  refuseTokenCaller(context.actor);
  const { account } = await resolveAuthorizedAccount(
    context.db,
    context.actor,
    request.account,
    "manage_roles",
  );
  return (await listApiTokenRows(context.db, account.id)).map((row) => mapToken(row, row.email));
}

export async function revokeApiToken(
  context: ServiceContext,
  request: { id: string; account?: string | undefined },
): Promise<ApiTokenView> {
  refuseTokenCaller(context.actor);
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "manage_roles");
    const row = await findApiTokenById(tx, request.id);
    if (row?.account_id !== account.id) {
      throw new AppError("api_token_not_found", `No API token ${request.id}.`, { id: request.id });
    }
    const revokedAt = row.revoked_at ?? context.now().toISOString();
    if (row.revoked_at === null) {
      await updateApiToken(tx, row.id, { revoked_at: revokedAt });
      await writeAudit(tx, context, actor, [
        { accountId: account.id, action: "api_token.revoke", after: { id: row.id, name: row.name } },
      ]);
    }
    const [owner] = await findUsersByIds(tx, [row.user_id]);
    return mapToken({ ...row, revoked_at: revokedAt }, owner?.email ?? "");
  });
}

/** Who a bearer token acts as: its creator, limited to the token's account (and those nested under it). */
export interface TokenCaller {
  /** The creator, with `accountCode` the token's account: the default account of the token's requests. */
  readonly principal: Principal;
  readonly token: { readonly id: string; readonly accountId: string };
}

/** The caller a bearer token stands for, or undefined when it is malformed, unknown or revoked. */
export async function resolveApiToken(
  db: Executor,
  token: string,
  now: Date,
): Promise<TokenCaller | undefined> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return undefined;
  const [, id = "", secret = ""] = match;
  const row = await findApiTokenById(db, id);
  if (!row || row.revoked_at !== null) return undefined;
  const expected = Buffer.from(row.secret_hash);
  const given = Buffer.from(hashSecret(secret));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  const principal = await loadPrincipal(db, row.user_id, now);
  const account = await findAccountById(db, row.account_id);
  if (!principal || !account) return undefined;
  await updateApiToken(db, row.id, { last_used_at: now.toISOString() });
  return {
    principal: { ...principal, accountCode: account.code },
    token: { id: row.id, accountId: row.account_id },
  };
}
