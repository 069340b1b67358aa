import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { SecretBox } from "../../adapters/secret-box.js";
import { checkClientName, checkRedirectUris } from "../../directory/oidc-client-rules.js";
import { AppError } from "../../errors/app-error.js";
import { findAccountById } from "../../store/accounts-repository.js";
import {
  deleteOidcClient,
  findOidcClientById,
  insertOidcClient,
  pageOidcClients,
  type OidcClientRow,
} from "../../store/oidc-clients-repository.js";
import type { Executor } from "../../store/schema.js";
import { resolveAuthorizedAccount } from "../account-lookup.js";
import { authorize, newId, writeAudit, type ServiceContext } from "../context.js";

/** A registered client as the CLI, the API and the console show it: never its secret. */
export const oidcClientViewSchema = z.object({
  clientId: z.string(),
  name: z.string(),
  account: z.string(),
  redirectUris: z.array(z.string()),
  /** A public client (a single-page or native app) has no secret and must use PKCE. */
  public: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type OidcClientView = z.infer<typeof oidcClientViewSchema>;

export const OIDC_CLIENTS_PAGE = 100;
const PERMISSION = "manage_applications";

const sealContext = (clientId: string): string => `oidc-client:${clientId}`;

function mapClient(row: OidcClientRow, accountCode: string): OidcClientView {
  return {
    clientId: row.id,
    name: row.name,
    account: accountCode,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    public: row.secret_sealed === null,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function clientNotFound(clientId: string): AppError {
  return new AppError("oidc_client_not_found", `No OpenID Connect client ${clientId}.`, { clientId });
}

/**
 * Registers a client in the account: its users (and those of the accounts nested under it) may sign in to
 * it. The secret is returned here, once, and stored sealed (the provider compares it with what the client
 * sends); a public client gets none and must use PKCE. On the record.
 */
export async function addOidcClient(
  context: ServiceContext,
  secrets: SecretBox,
  request: { name: string; redirectUris: readonly string[]; account?: string | undefined; public?: boolean },
): Promise<{ clientId: string; clientSecret: string | null; client: OidcClientView }> {
  const name = checkClientName(request.name);
  const redirectUris = checkRedirectUris(request.redirectUris);
  const id = newId();
  const secret = request.public === true ? null : randomBytes(32).toString("base64url");
  return context.db.transaction().execute(async (tx) => {
    const { account, actor } = await resolveAuthorizedAccount(tx, context.actor, request.account, PERMISSION);
    const row: OidcClientRow = {
      id,
      account_id: account.id,
      name,
      secret_sealed: secret === null ? null : secrets.seal(secret, sealContext(id)),
      redirect_uris: JSON.stringify(redirectUris),
      created_by: actor.name,
      created_at: context.now().toISOString(),
    };
    await insertOidcClient(tx, row);
    const client = mapClient(row, account.code);
    await writeAudit(tx, context, actor, [
      { accountId: account.id, action: "oidc_client.add", after: client },
    ]);
    return { clientId: id, clientSecret: secret, client };
  });
}

/** A page of the account's clients, by id; `after` is the last client id of the previous page. */
export async function listOidcClients(
  context: ServiceContext,
  request: { account?: string | undefined; after?: string | undefined; limit?: number | undefined },
): Promise<{ clients: OidcClientView[]; next: string | null }> {
  const { account } = await resolveAuthorizedAccount(context.db, context.actor, request.account, PERMISSION);
  const limit = Math.min(Math.max(request.limit ?? OIDC_CLIENTS_PAGE, 1), OIDC_CLIENTS_PAGE);
  const rows = await pageOidcClients(context.db, [account.id], { afterId: request.after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    clients: page.map((row) => mapClient(row, account.code)),
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * Removes a client: its sign-ins and refresh tokens stop working at once (the provider finds no client). A
 * client outside the caller's reach or permission is answered as a missing one.
 */
export async function removeOidcClient(context: ServiceContext, clientId: string): Promise<OidcClientView> {
  return context.db.transaction().execute(async (tx) => {
    const row = await findOidcClientById(tx, clientId);
    if (!row) throw clientNotFound(clientId);
    let actor;
    try {
      actor = await authorize(tx, context.actor, row.account_id, PERMISSION);
    } catch {
      throw clientNotFound(clientId);
    }
    const account = await findAccountById(tx, row.account_id);
    const view = mapClient(row, account?.code ?? "");
    await deleteOidcClient(tx, clientId);
    await writeAudit(tx, context, actor, [
      { accountId: row.account_id, action: "oidc_client.remove", before: view },
    ]);
    return view;
  });
}

/** What oidc-provider needs of a client (its metadata), or undefined when no such client is registered. */
export async function loadOidcClientMetadata(
  db: Executor,
  secrets: SecretBox,
  clientId: string,
): Promise<Record<string, unknown> | undefined> {
  const row = await findOidcClientById(db, clientId);
  if (!row) return undefined;
  const secret =
    row.secret_sealed === null ? undefined : secrets.open(row.secret_sealed, sealContext(row.id));
  return {
    client_id: row.id,
    client_name: row.name,
    redirect_uris: JSON.parse(row.redirect_uris) as string[],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    // client_secret_basic; oidc-provider takes client_secret_post from the same client too.
    ...(secret === undefined
      ? { token_endpoint_auth_method: "none" }
      : { client_secret: secret, token_endpoint_auth_method: "client_secret_basic" }),
  };
}

/** The account a client belongs to: its users, and those of accounts nested under it, may sign in. */
export async function oidcClientAccountId(db: Executor, clientId: string): Promise<string | undefined> {
  return (await findOidcClientById(db, clientId))?.account_id;
}

/** Every client of the account, a page at a time (the CLI writes each page as it is read). */
export async function* eachOidcClientPage(
  context: ServiceContext,
  request: { account?: string | undefined },
): AsyncIterable<OidcClientView[]> {
  let after: string | undefined;
  do {
    const page = await listOidcClients(context, { account: request.account, after });
    yield page.clients;
    after = page.next ?? undefined;
  } while (after !== undefined);
}
