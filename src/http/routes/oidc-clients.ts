import type { Context } from "hono";
import { z } from "zod";
import { AppError } from "../../errors/app-error.js";
import { addOidcClient, listOidcClients, removeOidcClient } from "../../services/oidc/oidc-clients.js";
import { ApiRouter } from "../api-router.js";
import type { AppEnv } from "../http-env.js";
import {
  oidcClientAddSchema,
  oidcClientCreatedSchema,
  oidcClientPageSchema,
  oidcClientSchema,
} from "../oidc-schemas.js";
import { accountQuery } from "../schemas.js";
import { requestAccount } from "./request-account.js";

/** The key that seals client secrets: the provider's, so none is registered that it could not read. */
function secretsOf(c: Context<AppEnv>) {
  const host = c.get("deps").oidc;
  if (!host) throw new AppError("oidc_unavailable", "OpenID Connect is off: set MAILROSTER_SECRET_KEY.", {});
  return host.secrets;
}

export const oidcClientRoutes = new ApiRouter("/oidc-clients", "OpenID Connect")
  .add(
    {
      method: "get",
      path: "",
      summary: "The account's OpenID Connect clients (never their secrets), a page at a time.",
      access: "signed-in",
      query: z.object({ ...accountQuery, after: z.string().max(64).optional() }),
      response: oidcClientPageSchema,
    },
    async ({ query, principal, services }) => {
      const page = await listOidcClients(services, {
        account: requestAccount(query, principal),
        after: query.after,
      });
      return { items: page.clients, next: page.next };
    },
  )
  .add(
    {
      method: "post",
      path: "",
      summary:
        "Register an application that signs users in with OpenID Connect. The client secret is in this reply only.",
      access: "signed-in",
      query: z.object(accountQuery),
      body: oidcClientAddSchema,
      response: oidcClientCreatedSchema,
      status: 201,
    },
    ({ query, body, principal, services, c }) =>
      addOidcClient(services, secretsOf(c), {
        ...body,
        account: requestAccount(query, principal),
      }),
  )
  .add(
    {
      method: "delete",
      path: "/{clientId}",
      summary: "Remove a client: its sign-ins and tokens stop working at once.",
      access: "signed-in",
      params: z.object({ clientId: z.string().min(1).max(64) }),
      response: oidcClientSchema,
    },
    ({ params, services }) => removeOidcClient(services, params.clientId),
  );
