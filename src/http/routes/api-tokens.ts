import { z } from "zod";
import { createApiToken, listApiTokens, revokeApiToken } from "../../services/api-tokens-service.js";
import { ApiRouter } from "../api-router.js";
import { accountQuery, apiTokenSchema } from "../schemas.js";
import { requestAccount } from "./request-account.js";

const accountOnly = z.object(accountQuery);

export const apiTokenRoutes = new ApiRouter("/api-tokens", "API tokens")
  .add(
    {
      method: "get",
      path: "",
      summary: "The account's API tokens (never their secrets). From a signed-in session, not a token.",
      access: "signed-in",
      query: accountOnly,
      response: z.array(apiTokenSchema),
    },
    ({ query, principal, services }) =>
      listApiTokens(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "post",
      path: "",
      summary:
        "Create a token acting as you, with your roles, within the account (and those nested under it). From a signed-in session, not a token. The secret is in this reply only: send it as Authorization: Bearer.",
      access: "signed-in",
      query: accountOnly,
      body: z.object({ name: z.string().min(1).max(100) }),
      response: z.object({ token: z.string(), apiToken: apiTokenSchema }),
      status: 201,
    },
    async ({ query, body, principal, services }) => {
      const { token, view } = await createApiToken(services, {
        name: body.name,
        account: requestAccount(query, principal),
      });
      return { token, apiToken: view };
    },
  )
  .add(
    {
      method: "delete",
      path: "/{id}",
      summary: "Revoke a token; it stops working at once. From a signed-in session, not a token.",
      access: "signed-in",
      query: accountOnly,
      params: z.object({ id: z.uuid() }),
      response: apiTokenSchema,
    },
    ({ params, query, principal, services }) =>
      revokeApiToken(services, { id: params.id, account: requestAccount(query, principal) }),
  );
