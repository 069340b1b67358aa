import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_MAX_AGE_MS } from "../services/auth-service.js";
import type { AppEnv } from "./http-env.js";

/** The portal's cookie (issue 14): a session of its own, with the same protections. */
export const PORTAL_COOKIE = "mailroster_portal";

// The name stays without the __Host- prefix: it is part of the contract, and a prefixed cookie must always
// be Secure, which a plain-http console on 127.0.0.1 cannot be.
export const SESSION_COOKIE = "mailroster_session";

export function readSessionCookie(c: Context<AppEnv>, name = SESSION_COOKIE): string | undefined {
  return getCookie(c, name);
}

/**
 * Whether the browser reached us over https: TLS terminated here (the request's scheme), or at a proxy we
 * were told to trust (its X-Forwarded-Proto). A request line that claims https over plain http can only add
 * the Secure flag, which costs that client its own cookie and nobody else anything.
 */
function isHttps(c: Context<AppEnv>): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  if (c.get("deps").trustProxy !== true) return false;
  // A proxy that appends to the header rather than replacing it puts its own value last.
  const forwarded = c.req.header("x-forwarded-proto")?.split(",").at(-1)?.trim().toLowerCase();
  return forwarded === "https";
}

/** Secure when forced (`serve --secure-cookies`) or when the request came over https. */
function isSecure(c: Context<AppEnv>): boolean {
  return c.get("deps").secureCookies === true || isHttps(c);
}

/** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure behind TLS. */
export function writeSessionCookie(c: Context<AppEnv>, secret: string, name = SESSION_COOKIE): void {
  setCookie(c, name, secret, {
    httpOnly: true,
    sameSite: "Strict",
    secure: isSecure(c),
    path: "/",
    maxAge: Math.floor(SESSION_MAX_AGE_MS / 1000),
  });
}

export function clearSessionCookie(c: Context<AppEnv>, name = SESSION_COOKIE): void {
  deleteCookie(c, name, { path: "/", httpOnly: true, sameSite: "Strict", secure: isSecure(c) });
}
