import { Hono, type Context } from "hono";
import { getCookie } from "hono/cookie";
import { isAppError } from "../../errors/app-error.js";
import { isCsrfTokenValid } from "../../services/auth-service.js";
import { signInThroughOidc } from "../../services/oidc/oidc-account.js";
import { changePortalPassword } from "../../services/portal/portal-sessions.js";
import type { AppEnv } from "../http-env.js";
import {
  FORM_COOKIE,
  formOf,
  page,
  sameText,
  servicesOf,
  sessionOf,
  signInResponse,
  signInWait,
} from "../portal/portal-app.js";
import { layout, passwordPage } from "../portal/portal-pages.js";
import { writeSessionCookie, PORTAL_COOKIE } from "../session-cookie.js";
import { OIDC_SCOPES } from "./oidc-configuration.js";
import { allowFormActionTo, type InteractionOf, type OidcHost } from "./oidc-host.js";

// The sign-in of an OpenID Connect client, in the portal (issue 14): the provider sends the browser to
// /portal/oidc/{uid}; the user signs in here (and changes a forced or expired password) with plain forms;
// the interaction finishes and the browser goes back through the provider to the client.

const base = (uid: string): string => `/portal/oidc/${encodeURIComponent(uid)}`;

/** This page's CSP, its form-action widened to the client's origin: the sign-in's redirects end there. */
function allowClientRedirect(c: Context<AppEnv>, host: OidcHost, interaction: InteractionOf): void {
  c.header(
    "Content-Security-Policy",
    allowFormActionTo(host.contentSecurityPolicy(), interaction.redirectOrigin),
  );
}

function expired(c: Context<AppEnv>): Response {
  return page(
    c,
    layout(
      "This sign-in has expired",
      `<div class="problem" role="alert" data-code="oidc_interaction_expired"><p>The sign-in took too long, or was already used.</p></div>
<p>Go back to the application and sign in again.</p>`,
    ),
    400,
  );
}

/** The interaction of this browser, when it is the one in the path (its cookie names it). */
async function interactionOf(
  c: Context<AppEnv>,
): Promise<{ host: OidcHost; interaction: InteractionOf } | undefined> {
  const host = c.get("deps").oidc;
  if (!host) return undefined;
  const interaction = await host.interactionOf(c);
  return interaction !== undefined && interaction.uid === c.req.param("uid")
    ? { host, interaction }
    : undefined;
}

async function finish(c: Context<AppEnv>, host: OidcHost, accountId: string): Promise<Response> {
  return c.redirect(await host.finishInteraction(c, { login: { accountId } }), 303);
}

export function createOidcInteractionApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get("/:uid", async (c) => {
    const found = await interactionOf(c);
    if (!found) return expired(c);
    const { host, interaction } = found;
    if (interaction.prompt === "consent" && interaction.accountId !== undefined) {
      // No consent screen: an administrator registered the client.
      const grantId = await host.grantConsent(
        c,
        interaction.accountId,
        interaction.clientId,
        OIDC_SCOPES.join(" "),
      );
      return c.redirect(await host.finishInteraction(c, { consent: { grantId } }), 303);
    }
    allowClientRedirect(c, host, interaction);
    return signInResponse(c, { action: `${base(interaction.uid)}/sign-in` });
  });

  app.post("/:uid/sign-in", async (c) => {
    const found = await interactionOf(c);
    if (!found) return expired(c);
    const { host, interaction } = found;
    allowClientRedirect(c, host, interaction);
    const form = await formOf(c);
    const email = form.email ?? "";
    const action = `${base(interaction.uid)}/sign-in`;
    const expected = getCookie(c, FORM_COOKIE);
    if (expected === undefined || !sameText(expected, form.csrf ?? "")) {
      return signInResponse(c, { codes: ["csrf_failed"], email, action }, 403);
    }
    if ((await signInWait(c, email)) > 0)
      return signInResponse(c, { codes: ["rate_limited"], email, action }, 429);
    try {
      const outcome = await signInThroughOidc(servicesOf(c), {
        email,
        password: form.password ?? "",
        clientId: interaction.clientId,
      });
      if (outcome.kind === "signed-in") return await finish(c, host, outcome.userId);
      // A forced or expired password: a portal session for the change, then the sign-in finishes.
      writeSessionCookie(c, outcome.secret, PORTAL_COOKIE);
      return c.redirect(`${base(interaction.uid)}/password`, 303);
    } catch (error) {
      if (isAppError(error) && error.code === "sign_in_failed") {
        return signInResponse(c, { codes: ["sign_in_failed"], email, action }, 401);
      }
      throw error;
    }
  });

  app.get("/:uid/password", async (c) => {
    const found = await interactionOf(c);
    if (!found) return expired(c);
    const signedIn = await sessionOf(c);
    if (!signedIn) return c.redirect(base(found.interaction.uid), 303);
    allowClientRedirect(c, found.host, found.interaction);
    const { session } = signedIn;
    return page(
      c,
      passwordPage({
        csrfToken: session.csrfToken,
        reason: session.principal.passwordChange,
        action: `${base(found.interaction.uid)}/password`,
      }),
    );
  });

  app.post("/:uid/password", async (c) => {
    const found = await interactionOf(c);
    if (!found) return expired(c);
    const signedIn = await sessionOf(c);
    if (!signedIn) return c.redirect(base(found.interaction.uid), 303);
    const { host, interaction } = found;
    allowClientRedirect(c, host, interaction);
    const { session, secret } = signedIn;
    const form = await formOf(c);
    const reason = session.principal.passwordChange;
    const action = `${base(interaction.uid)}/password`;
    if (!isCsrfTokenValid(secret, form.csrf ?? "")) {
      return page(
        c,
        passwordPage({ csrfToken: session.csrfToken, reason, codes: ["csrf_failed"], action }),
        403,
      );
    }
    try {
      await changePortalPassword(servicesOf(c, session.principal.email), session, {
        currentPassword: form.currentPassword ?? "",
        newPassword: form.newPassword ?? "",
      });
    } catch (error) {
      if (!isAppError(error)) throw error;
      const rules = (error.details as { rules?: unknown }).rules;
      const codes = Array.isArray(rules) ? rules.map(String) : [error.code];
      return page(c, passwordPage({ csrfToken: session.csrfToken, reason, codes, action }), 400);
    }
    return finish(c, host, session.principal.userId);
  });

  return app;
}
