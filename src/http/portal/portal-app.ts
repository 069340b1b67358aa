import { randomBytes, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { bodyLimit } from "hono/body-limit";
import { addressKey } from "../../directory/address.js";
import { isAppError } from "../../errors/app-error.js";
import { isCsrfTokenValid } from "../../services/auth-service.js";
import type { ServiceContext } from "../../services/context.js";
import { describePortalProfile } from "../../services/portal/portal-profile.js";
import {
  changePortalPassword,
  resolvePortalSession,
  signInToPortal,
  signOutOfPortal,
  type PortalSession,
} from "../../services/portal/portal-sessions.js";
import { isForeignOrigin } from "../auth-middleware.js";
import { clientAddress } from "../client-address.js";
import type { AppEnv } from "../http-env.js";
import {
  clearSessionCookie,
  PORTAL_COOKIE,
  readSessionCookie,
  writeSessionCookie,
} from "../session-cookie.js";
import { createOidcInteractionApp } from "../oidc/oidc-interaction-app.js";
import { passwordPage, PORTAL_CSS, profilePage, signInPage } from "./portal-pages.js";

export const PORTAL_PREFIX = "/portal";
export const FORM_COOKIE = "mailroster_portal_form";
// Forms carry an address and two passwords at most (each at most 1,024 characters, as the API takes).
const FORM_LIMIT = 16 * 1024;
const MAX_FIELD = 1024;

export function servicesOf(c: Context<AppEnv>, actorEmail?: string): ServiceContext {
  const deps = c.get("deps");
  return {
    db: deps.db,
    hasher: deps.hasher,
    isCommonPassword: deps.isCommonPassword,
    now: deps.now,
    actor:
      actorEmail === undefined ? { kind: "system", name: "portal" } : { kind: "user", email: actorEmail },
  };
}

export function page(c: Context<AppEnv>, html: string, status: 200 | 400 | 401 | 403 | 429 = 200): Response {
  c.header("Cache-Control", "no-store");
  return c.html(html, status);
}

/** The form's text fields, each cut at MAX_FIELD (a longer one is no password anybody holds). */
export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === "string") fields[name] = value.slice(0, MAX_FIELD);
  }
  return fields;
}

export async function sessionOf(
  c: Context<AppEnv>,
): Promise<{ session: PortalSession; secret: string } | undefined> {
  const secret = readSessionCookie(c, PORTAL_COOKIE);
  if (secret === undefined) return undefined;
  const session = await resolvePortalSession(c.get("deps").db, secret, c.get("deps").now());
  if (!session) {
    clearSessionCookie(c, PORTAL_COOKIE);
    return undefined;
  }
  return { session, secret };
}

/**
 * The sign-in form with a token of its own, also set in a SameSite=Strict cookie (double submit): a form
 * posted from another site carries no such cookie, so nobody is signed in to an account of another's choosing.
 */
export function signInResponse(
  c: Context<AppEnv>,
  options: { codes?: readonly string[]; email?: string; action?: string },
  status: 200 | 401 | 403 | 429 = 200,
): Response {
  const token = randomBytes(24).toString("base64url");
  setCookie(c, FORM_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: PORTAL_PREFIX });
  return page(c, signInPage({ ...options, csrfToken: token }), status);
}

export function sameText(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The sign-in limiter the console uses, per client and per address: both doors count together. */
export async function signInWait(c: Context<AppEnv>, email: string): Promise<number> {
  const limiter = c.get("deps").signInLimiter;
  if (!limiter) return 0;
  return Math.max(
    await limiter.hitShared(`ip:${clientAddress(c)}`),
    await limiter.hitShared(`user:${addressKey(email)}`),
  );
}

/** The portal: sign-in, the forced or chosen password change, the user's own page, sign-out. */
export function createPortalApp(): Hono<AppEnv> {
  const portal = new Hono<AppEnv>();
  portal.use(
    bodyLimit({
      maxSize: FORM_LIMIT,
      onError: (c) => c.text("The form is larger than the portal accepts.", 400),
    }),
  );
  // A change must come from our own pages: the browser names the sending page in Origin. With SameSite=Strict
  // on the cookie and a CSRF token in every signed-in form, another site can neither post as the user nor
  // sign them in to an account of its choosing.
  portal.use(async (c, next) => {
    // Chromium sends Origin "null" for a form under Referrer-Policy no-referrer (ours): the form tokens decide.
    const origin = c.req.header("origin");
    if (c.req.method === "POST" && origin !== "null" && isForeignOrigin(origin, c.req.url)) {
      return signInResponse(c, { codes: ["csrf_failed"] }, 403);
    }
    await next();
  });

  portal.get("/portal.css", (c) => {
    c.header("Content-Type", "text/css; charset=utf-8");
    return c.body(PORTAL_CSS);
  });

  portal.get("/", async (c) => {
    const signedIn = await sessionOf(c);
    if (!signedIn) return signInResponse(c, {});
    const { session } = signedIn;
    if (session.principal.passwordChange !== null) {
      return page(
        c,
        passwordPage({ csrfToken: session.csrfToken, reason: session.principal.passwordChange }),
      );
    }
    const pageNumber = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
    const profile = await describePortalProfile(c.get("deps").db, session.principal.userId, pageNumber);
    const notice = c.req.query("changed") === "1" ? "Your password was changed." : undefined;
    return page(c, profilePage(profile, session.csrfToken, notice));
  });

  portal.post("/sign-in", async (c) => {
    const form = await formOf(c);
    const email = form.email ?? "";
    const expected = getCookie(c, FORM_COOKIE);
    if (expected === undefined || !sameText(expected, form.csrf ?? "")) {
      return signInResponse(c, { codes: ["csrf_failed"], email }, 403);
    }
    if ((await signInWait(c, email)) > 0) return signInResponse(c, { codes: ["rate_limited"], email }, 429);
    try {
      const { secret } = await signInToPortal(servicesOf(c), { email, password: form.password ?? "" });
      writeSessionCookie(c, secret, PORTAL_COOKIE);
      return c.redirect(PORTAL_PREFIX, 303);
    } catch (error) {
      if (isAppError(error) && error.code === "sign_in_failed") {
        return signInResponse(c, { codes: ["sign_in_failed"], email }, 401);
      }
      throw error;
    }
  });

  portal.get("/password", async (c) => {
    const signedIn = await sessionOf(c);
    if (!signedIn) return c.redirect(PORTAL_PREFIX, 303);
    const { session } = signedIn;
    return page(c, passwordPage({ csrfToken: session.csrfToken, reason: session.principal.passwordChange }));
  });

  portal.post("/password", async (c) => {
    const signedIn = await sessionOf(c);
    if (!signedIn) return c.redirect(PORTAL_PREFIX, 303);
    const { session, secret } = signedIn;
    const form = await formOf(c);
    const reason = session.principal.passwordChange;
    if (!isCsrfTokenValid(secret, form.csrf ?? "")) {
      return page(c, passwordPage({ csrfToken: session.csrfToken, reason, codes: ["csrf_failed"] }), 403);
    }
    try {
      await changePortalPassword(servicesOf(c, session.principal.email), session, {
        currentPassword: form.currentPassword ?? "",
        newPassword: form.newPassword ?? "",
      });
      return c.redirect(`${PORTAL_PREFIX}?changed=1`, 303);
    } catch (error) {
      if (!isAppError(error)) throw error;
      // A weak password names every rule it breaks; any other refusal is its own code.
      const rules = (error.details as { rules?: unknown }).rules;
      const codes = Array.isArray(rules) ? rules.map(String) : [error.code];
      return page(c, passwordPage({ csrfToken: session.csrfToken, reason, codes }), 400);
    }
  });

  // An OpenID Connect client's sign-in: the same forms, finishing the provider's interaction.
  portal.route("/oidc", createOidcInteractionApp());

  portal.post("/sign-out", async (c) => {
    const signedIn = await sessionOf(c);
    const form = await formOf(c);
    if (signedIn && isCsrfTokenValid(signedIn.secret, form.csrf ?? "")) {
      await signOutOfPortal(c.get("deps").db, signedIn.session.sessionId);
      clearSessionCookie(c, PORTAL_COOKIE);
    }
    return c.redirect(PORTAL_PREFIX, 303);
  });

  return portal;
}
