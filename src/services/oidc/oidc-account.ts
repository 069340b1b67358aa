import { findGroupPathsByUserIds } from "../../store/groups-repository.js";
import type { Executor } from "../../store/schema.js";
import { findUsersByIds } from "../../store/users-repository.js";
import { signInFailed } from "../auth-service.js";
import { isWithin, type ServiceContext } from "../context.js";
import { openPortalSession, type PortalSession } from "../portal/portal-sessions.js";
import { checkUserSignIn, recordSignIn } from "../user-sign-in.js";
import { oidcClientAccountId } from "./oidc-clients.js";

/** The scopes the provider offers and the claims each releases (OpenID Connect Core 5.4, plus groups). */
export const OIDC_SCOPE_CLAIMS = {
  openid: ["sub"],
  email: ["email", "email_verified"],
  profile: ["name"],
  groups: ["groups"],
} as const;

// A claim is a list in every token: past this many groups the claim is cut (and says so in groups_truncated).
const MAX_GROUPS_CLAIM = 200;

export interface OidcClaims {
  readonly sub: string;
  readonly email: string;
  /** The directory vouches for its addresses. */
  readonly email_verified: true;
  readonly name: string;
  readonly groups: readonly string[];
  readonly groups_truncated?: true;
}

/** Whether a user of `accountId` may sign in to the client: users of its account and those nested under it. */
async function mayUseClient(db: Executor, accountId: string, clientId: string): Promise<boolean> {
  const clientAccount = await oidcClientAccountId(db, clientId);
  return clientAccount !== undefined && (await isWithin(db, accountId, clientAccount));
}

/**
 * The claims of a user, read when a token is issued (so a user removed from a group loses the claim at the
 * next token), or undefined when the user is gone, locked, has no password, or may not use the client.
 */
export async function loadOidcClaims(
  db: Executor,
  userId: string,
  clientId: string | undefined,
): Promise<OidcClaims | undefined> {
  const [user] = await findUsersByIds(db, [userId]);
  if (!user || user.locked === 1 || user.password_hash === null) return undefined;
  if (clientId !== undefined && !(await mayUseClient(db, user.account_id, clientId))) return undefined;
  const paths = (await findGroupPathsByUserIds(db, [userId])).map((g) => g.path);
  return {
    sub: user.id,
    email: user.email,
    email_verified: true,
    name: user.name,
    groups: paths.slice(0, MAX_GROUPS_CLAIM),
    ...(paths.length > MAX_GROUPS_CLAIM ? { groups_truncated: true as const } : {}),
  };
}

export type OidcSignIn =
  | { readonly kind: "signed-in"; readonly userId: string }
  /** A forced or expired password: a portal session opens for the change, then the sign-in finishes. */
  | { readonly kind: "change-password"; readonly secret: string; readonly session: PortalSession };

/**
 * Signs a user in to a client through the one sign-in check (door "oidc": lock, lockout counted with every
 * other door, one argon2 verify). A user outside the client's accounts is refused like any other failure
 * (`sign_in_failed`), without counting toward the lockout.
 */
export async function signInThroughOidc(
  context: ServiceContext,
  request: { email: string; password: string; clientId: string },
): Promise<OidcSignIn> {
  const detail = { client: request.clientId };
  const check = await checkUserSignIn(context, {
    email: request.email,
    password: request.password,
    door: "oidc",
    detail,
    admit: (user) => mayUseClient(context.db, user.account_id, request.clientId),
  });
  if (!check.ok) throw signInFailed();
  const { user } = check;
  if (check.passwordChange !== null) {
    return { kind: "change-password", ...(await openPortalSession(context, user, "oidc", detail)) };
  }
  await context.db.transaction().execute((tx) => recordSignIn(tx, context, user, "oidc", detail));
  return { kind: "signed-in", userId: user.id };
}
