import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../../errors/app-error.js";
import { resolveApiToken } from "../../services/api-tokens-service.js";
import { scimTokenName, type ScimCaller } from "../../services/scim/scim-caller.js";
import { recordScimActivity } from "../../services/scim/scim-activity.js";
import {
  listResponse,
  resourceTypes,
  schemaResources,
  SCIM_LIMITS,
  serviceProviderConfig,
} from "../../scim/discovery.js";
import { isJsonObject, type JsonObject } from "../../scim/json-resource.js";
import type { AppEnv } from "../http-env.js";
import type { RateLimiter } from "../rate-limit.js";
import { runBulk } from "./scim-bulk.js";
import {
  listResources,
  runResourceOperation,
  type ResourceKind,
  type ScimQuery,
  type ScimResult,
} from "./scim-dispatch.js";
import { scimErrorOf } from "./scim-errors.js";

export const SCIM_PREFIX = "/scim/v2";
const SCIM_TYPE = "application/scim+json; charset=utf-8";
const JSON_LIMIT = 256 * 1024;

function reply(status: number, body: JsonObject | undefined, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: {
      ...(body === undefined ? {} : { "Content-Type": SCIM_TYPE }),
      "Cache-Control": "no-store",
      ...headers,
    },
  });
}

function errorReply(error: unknown): {
  response: Response;
  code: string;
  scimType: string | null;
  message: string;
} {
  const scim = scimErrorOf(error);
  const headers: Record<string, string> =
    error instanceof AppError && typeof error.details.retryAfter === "number"
      ? { "Retry-After": String(error.details.retryAfter) }
      : {};
  return {
    response: reply(scim.status, scim.body, headers),
    code: scim.code,
    scimType: scim.scimType ?? null,
    message: typeof scim.body.detail === "string" ? scim.body.detail : "",
  };
}

async function readBody(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError("scim_syntax_invalid", "The body is not valid JSON.", {});
  }
}

/** The SCIM client: a bearer API token only (no cookie: a browser must not drive provisioning). */
async function authenticateScim(c: Context<AppEnv>): Promise<ScimCaller> {
  const deps = c.get("deps");
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
  const caller = match?.[1] ? await resolveApiToken(deps.db, match[1], deps.now()) : undefined;
  if (!caller) throw new AppError("not_signed_in", "Send a valid API token in Authorization: Bearer.", {});
  if (caller.principal.passwordChange !== null) {
    throw new AppError(
      "password_change_required",
      "The token's administrator must set a new password first.",
      {
        reason: caller.principal.passwordChange,
      },
    );
  }
  const url = new URL(c.req.url);
  return {
    context: {
      db: deps.db,
      hasher: deps.hasher,
      isCommonPassword: deps.isCommonPassword,
      now: deps.now,
      actor: { kind: "user", email: caller.principal.email, token: caller.token },
    },
    token: caller.token,
    baseUrl: `${url.origin}${SCIM_PREFIX}`,
  };
}

/**
 * Every SCIM request: authenticate, count against the token's rate, run, answer in the SCIM media type and
 * error schema, and log the changes and refusals for the console (reads that succeed are not logged).
 */
function handle(
  limiter: RateLimiter,
  run: (caller: ScimCaller, c: Context<AppEnv>) => Promise<ScimResult & { operations?: number }>,
) {
  return async (c: Context<AppEnv>): Promise<Response> => {
    let caller: ScimCaller | undefined;
    const path = new URL(c.req.url).pathname;
    try {
      caller = await authenticateScim(c);
      // Read before any transaction opens: the audit rows and the activity entry name the token.
      await scimTokenName(caller);
      // Shared by every server on one PostgreSQL (hitShared), else counted in this process.
      const wait = await limiter.hitShared(`scim-token:${caller.token.id}`);
      if (wait > 0) {
        throw new AppError(
          "scim_rate_limited",
          `Too many SCIM requests with this token: retry in ${wait} s.`,
          {
            retryAfter: wait,
          },
        );
      }
      const result = await run(caller, c);
      if (c.req.method !== "GET") {
        await recordScimActivity(caller, {
          method: c.req.method,
          path,
          status: result.status,
          operations: result.operations ?? 1,
          errorCode: null,
          scimType: null,
          message: null,
        });
      }
      return reply(
        result.status,
        result.body,
        result.location === undefined ? {} : { Location: result.location },
      );
    } catch (error) {
      const failed = errorReply(error);
      // A refusal by the rate limit is not logged: a flood of them would be a flood of writes.
      if (caller && failed.code !== "scim_rate_limited") {
        await recordScimActivity(caller, {
          method: c.req.method,
          path,
          status: failed.response.status,
          operations: 1,
          errorCode: failed.code,
          scimType: failed.scimType,
          message: failed.message,
        });
      }
      return failed.response;
    }
  };
}

const queryOf = (c: Context<AppEnv>): ScimQuery => ({
  filter: c.req.query("filter"),
  startIndex: c.req.query("startIndex"),
  count: c.req.query("count"),
  attributes: c.req.query("attributes"),
  excludedAttributes: c.req.query("excludedAttributes"),
});

/** A SearchRequest (POST /.search, RFC 7644 3.4.3) as the query it stands for. */
function searchQueryOf(body: unknown): ScimQuery {
  if (!isJsonObject(body))
    throw new AppError("scim_syntax_invalid", "A .search body is a SearchRequest.", {});
  const text = (v: unknown) => (typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : undefined);
  const num = (v: unknown) => (typeof v === "number" || typeof v === "string" ? v : undefined);
  return {
    filter: text(body.filter),
    startIndex: num(body.startIndex),
    count: num(body.count),
    attributes: text(body.attributes),
    excludedAttributes: text(body.excludedAttributes),
  };
}

/** /scim/v2: discovery, Users, Groups and Bulk (RFC 7644), outside the JSON API's router and error schema. */
export function createScimApp(limiter: RateLimiter): Hono<AppEnv> {
  const scim = new Hono<AppEnv>();
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () =>
        errorReply(
          new AppError("scim_bulk_too_large", `The request body is over ${maxSize} bytes.`, { maxSize }),
        ).response,
    });
  scim.post("/Bulk", limit(SCIM_LIMITS.bulkMaxPayloadSize));
  scim.use(async (c, next) => (c.req.path.endsWith("/Bulk") ? next() : limit(JSON_LIMIT)(c, next)));

  const discovery = (body: (baseUrl: string) => JsonObject) =>
    handle(limiter, (caller) => Promise.resolve({ status: 200, body: body(caller.baseUrl) }));
  scim.get(
    "/ServiceProviderConfig",
    discovery((base) => serviceProviderConfig(base)),
  );
  scim.get(
    "/ResourceTypes",
    discovery((base) => {
      const all = resourceTypes(base);
      return listResponse(all, all.length, 1);
    }),
  );
  scim.get(
    "/Schemas",
    discovery((base) => {
      const all = schemaResources(base);
      return listResponse(all, all.length, 1);
    }),
  );
  scim.get(
    "/ResourceTypes/:id",
    handle(limiter, (caller, c) => findOne(resourceTypes(caller.baseUrl), c.req.param("id") ?? "")),
  );
  scim.get(
    "/Schemas/:id",
    handle(limiter, (caller, c) => findOne(schemaResources(caller.baseUrl), c.req.param("id") ?? "")),
  );

  scim.post(
    "/Bulk",
    handle(limiter, async (caller, c) => {
      const body = await readBody(c);
      const result = await runBulk(caller, body);
      // Each operation counts against the token's rate, as the same requests one by one would.
      for (let i = 1; i < result.operations; i++) limiter.hit(caller.token.id);
      return { status: 200, body: result.body, operations: result.operations };
    }),
  );

  for (const kind of ["Users", "Groups"] as const satisfies readonly ResourceKind[]) {
    scim.post(
      `/${kind}/.search`,
      handle(limiter, async (caller, c) => listResources(caller, kind, searchQueryOf(await readBody(c)))),
    );
    scim.get(
      `/${kind}`,
      handle(limiter, (caller, c) => listResources(caller, kind, queryOf(c))),
    );
    scim.post(
      `/${kind}`,
      handle(limiter, async (caller, c) =>
        runResourceOperation(caller, { method: "POST", kind, body: await readBody(c), query: queryOf(c) }),
      ),
    );
    scim.on(
      ["GET", "PUT", "PATCH", "DELETE"],
      `/${kind}/:id`,
      handle(limiter, async (caller, c) =>
        runResourceOperation(caller, {
          method: c.req.method,
          kind,
          id: c.req.param("id"),
          body: c.req.method === "PUT" || c.req.method === "PATCH" ? await readBody(c) : undefined,
          query: queryOf(c),
        }),
      ),
    );
  }
  scim.all(
    "*",
    handle(limiter, () =>
      Promise.reject(new AppError("route_not_found", "There is no such SCIM endpoint.", {})),
    ),
  );
  return scim;
}

function findOne(list: readonly JsonObject[], id: string): Promise<ScimResult> {
  const found = list.find(
    (item) => typeof item.id === "string" && item.id.toLowerCase() === id.toLowerCase(),
  );
  if (!found) return Promise.reject(new AppError("scim_resource_not_found", `No ${id.slice(0, 100)}.`, {}));
  return Promise.resolve({ status: 200, body: found });
}
