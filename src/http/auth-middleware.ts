import type { MiddlewareHandler } from "hono";
import { AppError } from "../errors/app-error.js";
import { resolveApiToken } from "../services/api-tokens-service.js";
import { isCsrfTokenValid, resolveSession } from "../services/auth-service.js";
import type { AppEnv } from "./http-env.js";
import { clearSessionCookie, readSessionCookie } from "./session-cookie.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const CSRF_HEADER = "x-csrf-token";

/**
 * A browser names the page that sent a request in Origin; a change must come from our own pages. Hosts are
 * compared, not schemes, so a TLS-terminating proxy in front of the server does not refuse everything.
 */
export function isForeignOrigin(origin: string | undefined, requestUrl: string): boolean {
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== new URL(requestUrl).host;
  } catch {
    return true;
  }
}

/**
 * Finds the caller: a bearer API token (automation) or the console's session cookie. A change made with a
 * cookie must also carry the session's CSRF token in X-CSRF-Token; a token caller needs none, because no
 * browser attaches an Authorization header on its own. Whether a route needs a caller is the route's call.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get("deps");
  const now = deps.now();
  const unsafe = !SAFE_METHODS.has(c.req.method);
  if (unsafe && isForeignOrigin(c.req.header("origin"), c.req.url)) {
    throw new AppError("csrf_failed", "The request comes from another site.", {});
  }
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const caller = match?.[1] ? await resolveApiToken(deps.db, match[1], now) : undefined;
    if (!caller) throw new AppError("not_signed_in", "The API token is unknown or revoked.", {});
    c.set("auth", { via: "token", principal: caller.principal, token: caller.token });
    await next();
    return;
  }
  const secret = readSessionCookie(c);
  const session = secret === undefined ? undefined : await resolveSession(deps.db, secret, now);
  if (secret !== undefined && !session) clearSessionCookie(c);
  if (secret !== undefined && session) {
    if (unsafe && !isCsrfTokenValid(secret, c.req.header(CSRF_HEADER) ?? "")) {
      throw new AppError("csrf_failed", "Send this session's CSRF token in X-CSRF-Token.", {});
    }
    c.set("auth", { via: "session", principal: session.principal, sessionId: session.sessionId, secret });
  } else {
    c.set("auth", undefined);
  }
  await next();
};
