import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { AppError, isAppError } from "../errors/app-error.js";
import { ImportRunner } from "../jobs/import-runner.js";
import { SyncRunner } from "../jobs/sync-runner.js";
import type { ApiRouter } from "./api-router.js";
import { authenticate } from "./auth-middleware.js";
import { statusOfError } from "./error-status.js";
import type { AppDependencies, AppEnv } from "./http-env.js";
import { buildOpenApiDocument } from "./openapi.js";
import { RateLimiter } from "./rate-limit.js";
import { apiTokenRoutes } from "./routes/api-tokens.js";
import { connectorRoutes } from "./routes/connectors.js";
import { syncRoutes } from "./routes/sync.js";
import { authRoutes } from "./routes/auth.js";
import { delegateRoutes, userDelegateRoutes } from "./routes/delegates.js";
import { attributeRoutes, auditRoutes, domainRoutes, policyRoutes, roleRoutes } from "./routes/directory.js";
import { groupRoutes } from "./routes/groups.js";
import { importRoutes } from "./routes/imports.js";
import { metaRoutes } from "./routes/meta.js";
import { oidcClientRoutes } from "./routes/oidc-clients.js";
import { recipientRoutes } from "./routes/recipients.js";
import { scimActivityRoutes } from "./routes/scim-activity.js";
import { userRoutes } from "./routes/users.js";
import { createScimApp, SCIM_PREFIX } from "./scim/scim-router.js";
import { createPortalApp, PORTAL_PREFIX } from "./portal/portal-app.js";
import { OIDC_PREFIX } from "./oidc/oidc-host.js";
import { SECURITY_HEADERS } from "./security-headers.js";
import { DEFAULT_WEB_ROOT, loadWebFiles } from "./web-files.js";

export const API_PREFIX = "/api/v1";
/** Per API token on /scim/v2: far above what Entra (a few a second) or Okta send, far below a flood. */
export const SCIM_REQUESTS_PER_MINUTE = 6000;

const ROUTERS: readonly ApiRouter[] = [
  authRoutes,
  userRoutes,
  groupRoutes,
  importRoutes,
  delegateRoutes,
  userDelegateRoutes,
  attributeRoutes,
  domainRoutes,
  roleRoutes,
  policyRoutes,
  auditRoutes,
  apiTokenRoutes,
  recipientRoutes,
  metaRoutes,
  scimActivityRoutes,
  connectorRoutes,
  syncRoutes,
  oidcClientRoutes,
];

function errorBody(error: AppError): { error: { code: string; message: string; details: object } } {
  return { error: { code: error.code, message: error.message, details: error.details } };
}

/** The whole server: security headers, the API under /api/v1, its OpenAPI document and docs, the console. */
export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const withDefaults: AppDependencies = {
    ...deps,
    signInLimiter: deps.signInLimiter ?? new RateLimiter(10, 60_000, deps.now),
    imports: deps.imports ?? new ImportRunner(),
    sync: deps.sync ?? new SyncRunner(),
  };
  app.use(async (c, next) => {
    c.set("deps", withDefaults);
    await next();
  });
  app.use(secureHeaders(SECURITY_HEADERS));

  app.onError((error, c) => {
    if (isAppError(error)) return c.json(errorBody(error), statusOfError(error.code));
    // Our bug: the log gets the stack (never a request body, which may hold a password); the caller a code.
    console.error("mailroster: unexpected error", error);
    return c.json(errorBody(new AppError("internal_error", "Something went wrong on the server.", {})), 500);
  });

  const api = new Hono<AppEnv>();
  api.use(async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  const jsonLimit = bodyLimit({
    maxSize: 256 * 1024,
    onError: () => {
      throw new AppError("request_too_large", "The request body is over 256 KiB.", {});
    },
  });
  // Uploads may carry the largest spreadsheet the reader takes, plus the parts' headers and short fields.
  const maxFileBytes = withDefaults.imports?.maxFileBytes ?? 0;
  const uploadLimit = bodyLimit({
    maxSize: maxFileBytes + 64 * 1024,
    onError: () => {
      throw new AppError(
        "file_too_large",
        `The upload is larger than the limit of ${Math.round(maxFileBytes / 1024 / 1024)} MiB.`,
        { limit: maxFileBytes },
      );
    },
  });
  const uploadPaths = new Set(
    ROUTERS.flatMap((r) => r.routes)
      .filter((route) => route.spec.multipart === true)
      .map((route) => API_PREFIX + route.fullPath),
  );
  api.use((c, next) => (uploadPaths.has(c.req.path) ? uploadLimit(c, next) : jsonLimit(c, next)));
  api.use(authenticate);
  for (const router of ROUTERS) api.route(router.base, router.hono);
  const openApi = buildOpenApiDocument(
    ROUTERS.flatMap((r) => r.routes),
    API_PREFIX,
  );
  api.get("/openapi.json", (c) => c.json(openApi));
  api.all("*", () => {
    throw new AppError("route_not_found", "There is no such endpoint.", {});
  });
  app.route(API_PREFIX, api);
  // SCIM 2.0 (RFC 7644): its own media type, error schema and paging, so not an ApiRouter; API tokens only.
  app.route(
    SCIM_PREFIX,
    createScimApp(deps.scimLimiter ?? new RateLimiter(SCIM_REQUESTS_PER_MINUTE, 60_000, deps.now)),
  );

  // The portal (issue 14): server-rendered forms for every user of the directory, with a cookie of its own.
  app.route(PORTAL_PREFIX, createPortalApp());

  // The OpenID Connect provider (issue 14): oidc-provider answers the Node request itself.
  const oidc = (c: Context<AppEnv>): Promise<Response> => {
    const host = c.get("deps").oidc;
    if (!host)
      throw new AppError("oidc_unavailable", "OpenID Connect is off: set MAILROSTER_SECRET_KEY.", {});
    return host.handle(c);
  };
  app.all(OIDC_PREFIX, oidc);
  app.all(`${OIDC_PREFIX}/*`, oidc);

  const files = loadWebFiles(deps.webRoot ?? DEFAULT_WEB_ROOT);
  const serve = (path: string) => {
    const file = files.get(path);
    if (!file) throw new AppError("route_not_found", "There is no such page.", {});
    return new Response(file.body, { headers: { "Content-Type": file.type } });
  };
  app.get("/api/docs", () => serve("/api-docs.html"));
  app.get("/", () => serve("/index.html"));
  app.get("*", (c) => serve(c.req.path));
  return app;
}
