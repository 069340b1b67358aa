import type { Configuration, KoaContextWithOIDC } from "oidc-provider";
import { SESSION_MAX_AGE_MS } from "../../services/auth-service.js";
import { loadOidcClaims, OIDC_SCOPE_CLAIMS } from "../../services/oidc/oidc-account.js";
import { ID_TOKEN_TTL_SECONDS, type OidcKeySet } from "../../services/oidc/oidc-keys.js";
import {
  createOidcAdapterFactory,
  type OidcStoreDependencies,
} from "../../services/oidc/oidc-model-adapter.js";
import { escapeHtml, layout } from "../portal/portal-pages.js";

export const OIDC_SCOPES = Object.keys(OIDC_SCOPE_CLAIMS).concat("offline_access");
/** Where oidc-provider sends the browser to sign in: the portal's page for the interaction. */
export const interactionPath = (uid: string): string => `/portal/oidc/${encodeURIComponent(uid)}`;

const DAY = 24 * 3600;

/** The error page: the portal's look, no inline style or script (the CSP of every page). */
function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): void {
  ctx.type = "html";
  ctx.body = layout(
    "Sign-in could not go on",
    `<div class="problem" role="alert" data-code="${escapeHtml(out.error)}"><p>${escapeHtml(
      out.error_description ?? out.error,
    )}</p></div>
<p>Go back to the application and start again.</p>`,
  );
}

/**
 * Grants without a consent screen: every client was registered by an administrator, so a signed-in user's
 * grant covers the scopes offered (a request still gets only the scopes it asks for).
 */
async function loadExistingGrant(ctx: KoaContextWithOIDC) {
  const { client, session } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  // grantIdFor answers undefined for a client not yet granted (whatever its declared type says).
  const found = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
  const grant =
    found?.accountId === session.accountId && found.clientId === client.clientId
      ? found
      : new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(OIDC_SCOPES.join(" "));
  await grant.save();
  return grant;
}

/** oidc-provider's configuration: our storage, keys, claims, the portal's sign-in, pages in the house look. */
export function buildOidcConfiguration(store: OidcStoreDependencies, keys: OidcKeySet): Configuration {
  return {
    adapter: createOidcAdapterFactory(store),
    clients: [],
    // Claims are read at token time: a user removed from a group loses the claim at the next token, and a
    // user locked (or outside the client's accounts) gets no token at all.
    findAccount: async (ctx, sub) => {
      const claims = await loadOidcClaims(store.db, sub, ctx.oidc.client?.clientId);
      return claims === undefined
        ? undefined
        : { accountId: sub, claims: () => ({ ...claims, groups: [...claims.groups] }) };
    },
    claims: Object.fromEntries(
      Object.entries(OIDC_SCOPE_CLAIMS).map(([scope, names]) => [scope, [...names]]),
    ),
    scopes: OIDC_SCOPES,
    // The ID token carries the claims of the scopes granted (the relying party need not call userinfo).
    conformIdTokenClaims: false,
    jwks: { keys: keys.signingKeys.map((k) => ({ ...k })) },
    cookies: {
      keys: [...keys.cookieKeys],
      long: { httpOnly: true, sameSite: "lax", signed: true },
      short: { httpOnly: true, sameSite: "lax", signed: true },
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.body = layout(
            "Sign out",
            `${form}<p>Sign out of the directory's sign-in?</p>
<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></p>
<p><button type="submit" form="op.logoutForm">No, stay signed in</button></p>`,
          );
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.body = layout("Signed out", "<p>You are signed out.</p>");
        },
      },
    },
    responseTypes: ["code"],
    // PKCE (S256) is required of public clients (no secret) and allowed for confidential ones.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === "none" },
    // Every registered client may refresh; each refresh rotates the token (a replayed one revokes the grant).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: true,
    loadExistingGrant,
    // A browser app (a public client) may call the token endpoint from its redirect URI's origin.
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: ID_TOKEN_TTL_SECONDS,
      Interaction: 3600,
      Grant: 14 * DAY,
      RefreshToken: 14 * DAY,
      Session: SESSION_MAX_AGE_MS / 1000,
    },
    renderError,
  };
}
