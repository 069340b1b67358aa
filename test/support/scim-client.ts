import type { Hono } from "hono";
import { createApp } from "../../src/http/app.js";
import type { AppEnv } from "../../src/http/http-env.js";
import type { RateLimiter } from "../../src/http/rate-limit.js";
import { createApiToken } from "../../src/services/api-tokens-service.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { initExample, makeContext } from "./service-context.js";

export interface ScimReply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** A SCIM client over app.request(), as an identity provider calls the server: a bearer token, scim+json. */
export class ScimClient {
  constructor(
    readonly app: Hono<AppEnv>,
    readonly token: string | undefined,
  ) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ScimReply> {
    const response = await this.app.request(`http://mail.example.com/scim/v2${path}`, {
      method,
      headers: {
        ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        ...(body === undefined ? {} : { "content-type": "application/scim+json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  }
}

/** The example directory, an API token of its Super Administrator, and a SCIM client holding it. */
export async function scimSetUp(
  open: OpenDatabase,
  options: { scimLimiter?: RateLimiter } = {},
): Promise<{ system: ReturnType<typeof makeContext>; app: Hono<AppEnv>; scim: ScimClient; token: string }> {
  const system = makeContext(open);
  await initExample(system);
  const { token } = await createApiToken(
    { ...system, actor: { kind: "user", email: "admin@example.com" } },
    { name: "entra-provisioning", account: "CxAy" },
  );
  const app = createApp({ ...system, ...options });
  return { system, app, scim: new ScimClient(app, token), token };
}

export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
