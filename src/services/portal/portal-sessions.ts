import {
  deletePortalSessions,
  findPortalSessionBySecretHash,
  insertPortalSession,
  touchPortalSession,
} from "../../store/portal-sessions-repository.js";
import type { Executor } from "../../store/schema.js";
import { findUsersByIds, type UserRow } from "../../store/users-repository.js";
import {
  changeOwnPassword,
  csrfTokenFor,
  hashSecret,
  newSession,
  principalOfUser,
  sessionEnded,
  sessionNeedsTouch,
  signInFailed,
  type Principal,
} from "../auth-service.js";
import type { ServiceContext } from "../context.js";
import { checkUserSignIn, recordSignIn, type SignInDoor } from "../user-sign-in.js";

/** Who is signed in to the portal: any user of the directory, administrator or not. */
export interface PortalSession {
  readonly sessionId: string;
  readonly csrfToken: string;
  readonly principal: Principal;
}

/** The portal admits any user who is not locked and has a password. */
async function principalOf(db: Executor, userId: string, now: Date): Promise<Principal | undefined> {
  const [user] = await findUsersByIds(db, [userId]);
  if (!user || user.locked === 1 || user.password_hash === null) return undefined;
  return principalOfUser(db, user, now);
}

/**
 * Signs a user in to the portal through the one sign-in check (lock, lockout across every door, one argon2
 * verify). A forced or expired password still opens a session, which the portal restricts to the change,
 * as the console does. Every refusal is `sign_in_failed`.
 */
export async function signInToPortal(
  context: ServiceContext,
  request: { email: string; password: string },
): Promise<{ secret: string; session: PortalSession }> {
  const check = await checkUserSignIn(context, { ...request, door: "portal" });
  if (!check.ok) throw signInFailed();
  return openPortalSession(context, check.user, "portal");
}

/**
 * Opens a portal session for a user the sign-in check admitted, recording the sign-in at `door` in the same
 * transaction (the OpenID Connect sign-in opens one when the user must change their password first).
 */
export async function openPortalSession(
  context: ServiceContext,
  user: UserRow,
  door: SignInDoor,
  detail: Readonly<Record<string, string>> = {},
): Promise<{ secret: string; session: PortalSession }> {
  const now = context.now();
  const { secret, row } = newSession(user, now);
  await context.db.transaction().execute(async (tx) => {
    await insertPortalSession(tx, row);
    await recordSignIn(tx, context, user, door, detail);
  });
  const principal = await principalOf(context.db, user.id, now);
  if (!principal) throw signInFailed();
  return { secret, session: { sessionId: row.id, csrfToken: csrfTokenFor(secret), principal } };
}

/** The session a portal cookie opens, or undefined when unknown, expired, idle too long, or the user locked. */
export async function resolvePortalSession(
  db: Executor,
  secret: string,
  now: Date,
): Promise<PortalSession | undefined> {
  const session = await findPortalSessionBySecretHash(db, hashSecret(secret));
  if (!session) return undefined;
  const principal = sessionEnded(session, now) ? undefined : await principalOf(db, session.user_id, now);
  if (!principal) {
    await deletePortalSessions(db, { id: session.id });
    return undefined;
  }
  if (sessionNeedsTouch(session, now)) await touchPortalSession(db, session.id, now.toISOString());
  return { sessionId: session.id, csrfToken: csrfTokenFor(secret), principal };
}

export async function signOutOfPortal(db: Executor, sessionId: string): Promise<void> {
  await deletePortalSessions(db, { id: sessionId });
}

/**
 * The signed-in user sets their own password, under the policy with its history: the console's change
 * (which ends their console sessions), then their other portal sessions end too.
 */
export async function changePortalPassword(
  context: ServiceContext,
  session: PortalSession,
  request: { currentPassword: string; newPassword: string },
): Promise<Principal> {
  const principal = await changeOwnPassword(context, session.principal, request);
  await deletePortalSessions(context.db, { userId: principal.userId, except: session.sessionId });
  return principal;
}
