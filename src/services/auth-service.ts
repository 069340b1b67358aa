import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { assertPasswordAcceptable } from "../directory/password-policy.js";
import { getRole, isRoleId, PERMISSIONS, type RoleId } from "../directory/roles.js";
import { AppError } from "../errors/app-error.js";
import { findAccountById } from "../store/accounts-repository.js";
import {
  deleteSession,
  deleteSessionsOfUser,
  findSessionBySecretHash,
  insertSession,
  touchSession,
} from "../store/console-sessions-repository.js";
import { revokeApiTokensOfUser } from "../store/api-tokens-repository.js";
import type { Executor } from "../store/schema.js";
import type { SessionRow } from "../store/session-rows.js";
import { findRolesByUserIds } from "../store/roles-repository.js";
import { findUsersByIds, updateUser, type UserRow } from "../store/users-repository.js";
import { authorize, newId, writeAudit, type Authorized, type ServiceContext, type Tx } from "./context.js";
import { loadPasswordPolicy } from "./password-policy-service.js";
import type { MeView } from "./view-schemas.js";
import { assertNotReused, recordPassword } from "./users/password-history.js";
import { checkUserSignIn, passwordChangeOf, recordSignIn } from "./user-sign-in.js";

/** A session ends this long after sign-in, whatever happens. */
export const SESSION_MAX_AGE_MS = 12 * 3_600_000;
/** ... or after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
// Writing last_seen_at on every request would make every read a write; a minute's precision is plenty.
const TOUCH_EVERY_MS = 60_000;

/** A new session of `user` (console or portal): its cookie's secret, and the row that keeps only its hash. */
export function newSession(user: UserRow, now: Date): { secret: string; row: SessionRow } {
  const secret = randomBytes(32).toString("base64url");
  const row = {
    id: newId(),
    account_id: user.account_id,
    user_id: user.id,
    secret_hash: hashSecret(secret),
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + SESSION_MAX_AGE_MS).toISOString(),
  };
  return { secret, row };
}

/** Whether a session has passed its maximum age, or gone unused longer than the idle limit. */
export function sessionEnded(row: SessionRow, now: Date): boolean {
  const lastSeen = new Date(row.last_seen_at).getTime();
  return new Date(row.expires_at).getTime() <= now.getTime() || lastSeen + SESSION_IDLE_MS <= now.getTime();
}

/** Whether to record that a session was seen now (TOUCH_EVERY_MS since it last was). */
export function sessionNeedsTouch(row: SessionRow, now: Date): boolean {
  return now.getTime() - new Date(row.last_seen_at).getTime() >= TOUCH_EVERY_MS;
}

/** Who is signed in, as the HTTP layer needs it to build each request's service context. */
export interface Principal {
  readonly email: string;
  readonly userId: string;
  readonly accountCode: string;
  /** Set when the password is to be changed first (forced by an administrator, or expired). */
  readonly passwordChange: "forced" | "expired" | null;
}

export type { MeView } from "./view-schemas.js";

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The CSRF token of a session: derived from its secret, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac("sha256", sessionSecret).update("mailroster csrf").digest("base64url");
}

export function isCsrfTokenValid(sessionSecret: string, token: string): boolean {
  const expected = Buffer.from(csrfTokenFor(sessionSecret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

async function rolesOf(db: Executor, userId: string): Promise<RoleId[]> {
  return (await findRolesByUserIds(db, [userId])).map((r) => r.role).filter(isRoleId);
}

/** The principal of a user row: their address, account and any password change they owe. */
export async function principalOfUser(db: Executor, user: UserRow, now: Date): Promise<Principal> {
  const account = await findAccountById(db, user.account_id);
  return {
    email: user.email,
    userId: user.id,
    accountCode: account?.code ?? "",
    passwordChange: await passwordChangeOf(db, user, now),
  };
}

/** The principal of an administrator by user id (API tokens act as the administrator who owns them). */
export async function loadPrincipal(db: Executor, userId: string, now: Date): Promise<Principal | undefined> {
  const [user] = await findUsersByIds(db, [userId]);
  if (!user || user.locked === 1) return undefined;
  if ((await rolesOf(db, user.id)).length === 0) return undefined;
  return principalOfUser(db, user, now);
}

export async function describeMe(db: Executor, principal: Principal): Promise<MeView> {
  const [user] = await findUsersByIds(db, [principal.userId]);
  if (!user) throw new AppError("not_signed_in", "The signed-in user no longer exists.", {});
  const roles = await rolesOf(db, user.id);
  return {
    email: user.email,
    name: user.name,
    account: principal.accountCode,
    roles: roles.map((id) => getRole(id).name).sort(),
    permissions: PERMISSIONS.filter((p) => roles.some((id) => getRole(id).permissions.has(p))),
    passwordChange: principal.passwordChange,
  };
}

/**
 * Every refused sign-in looks the same: unknown address, no password, wrong password, no administrator role,
 * locked by an administrator or by the lockout. Telling them apart would name the addresses that exist, the
 * mail users whose password a guess hit, and (for a locked user) whether a guess was right, which would let
 * guessing go on through the lockout.
 */
export function signInFailed(): AppError {
  return new AppError("sign_in_failed", "The sign-in failed: check the email and password.", {});
}

/**
 * Signs an administrator in through the one sign-in check (user-sign-in.ts: the lock, the policy's lockout
 * counted across every door, one argon2 verify per attempt); the console admits only administrators. A
 * forced or expired password is reported, so the caller restricts the session to changing it. Returns the
 * new session's secret (for the cookie) and CSRF token. Every refusal is `sign_in_failed`.
 */
export async function signIn(
  context: ServiceContext,
  request: { email: string; password: string },
): Promise<{ secret: string; csrfToken: string; principal: Principal }> {
  // The console is for administrators: a mail user with the right password still gets no session.
  const check = await checkUserSignIn(context, {
    ...request,
    door: "console",
    admit: async (user) => (await rolesOf(context.db, user.id)).length > 0,
  });
  if (!check.ok) throw signInFailed();
  const { user } = check;
  const now = context.now();
  const { secret, row } = newSession(user, now);
  await context.db.transaction().execute(async (tx) => {
    await insertSession(tx, row);
    await recordSignIn(tx, context, user, "console");
  });
  return { secret, csrfToken: csrfTokenFor(secret), principal: await principalOfUser(context.db, user, now) };
}

/**
 * Ends every credential of a user whose password an administrator set, or whom an administrator locked: all
 * their console sessions, and every API token acting as them (revoked, on the record). Runs inside the
 * change's own transaction, so the change and the ending commit together.
 */
export async function endCredentialsOf(
  tx: Tx,
  context: ServiceContext,
  user: { userId: string; accountId: string; email: string },
  reason: "password_set" | "locked",
  /** The change's actor, when the caller has authorised it already (an import). */
  authorized?: Authorized,
): Promise<void> {
  await deleteSessionsOfUser(tx, user.userId);
  const revoked = await revokeApiTokensOfUser(tx, user.userId, context.now().toISOString());
  if (revoked.length === 0) return;
  const actor = authorized ?? (await authorize(tx, context.actor, user.accountId, "manage_users"));
  await writeAudit(
    tx,
    context,
    actor,
    revoked.map((token) => ({
      accountId: token.account_id,
      action: "api_token.revoke",
      address: user.email,
      after: { id: token.id, name: token.name, reason },
    })),
  );
}

/** The session a cookie's secret opens, or undefined when it is unknown, expired or idle too long. */
export async function resolveSession(
  db: Executor,
  secret: string,
  now: Date,
): Promise<{ sessionId: string; principal: Principal } | undefined> {
  const session = await findSessionBySecretHash(db, hashSecret(secret));
  if (!session) return undefined;
  if (sessionEnded(session, now)) {
    await deleteSession(db, session.id);
    return undefined;
  }
  const principal = await loadPrincipal(db, session.user_id, now);
  if (!principal) {
    // Locked or stripped of every role since signing in: the session ends now.
    await deleteSession(db, session.id);
    return undefined;
  }
  if (sessionNeedsTouch(session, now)) await touchSession(db, session.id, now.toISOString());
  return { sessionId: session.id, principal };
}

export async function signOut(db: Executor, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}

/**
 * The signed-in administrator sets their own password (the forced change at first sign-in, or after expiry):
 * the current one proves it is them; the new one must pass the policy and differ from recent ones. Their
 * other sessions end.
 */
export async function changeOwnPassword(
  context: ServiceContext,
  principal: Principal,
  request: { currentPassword: string; newPassword: string; sessionId?: string | undefined },
): Promise<Principal> {
  const [user] = await findUsersByIds(context.db, [principal.userId]);
  if (!user?.password_hash) throw new AppError("not_signed_in", "The signed-in user has no password.", {});
  if (!(await context.hasher.verify(user.password_hash, request.currentPassword))) {
    throw new AppError("password_incorrect", "The current password is wrong.", {});
  }
  const policy = await loadPasswordPolicy(context.db, user.account_id);
  assertPasswordAcceptable(policy, request.newPassword, context.isCommonPassword);
  if (await context.hasher.verify(user.password_hash, request.newPassword)) {
    throw new AppError("password_reused", "The new password must differ from the current one.", {});
  }
  const hash = await context.hasher.hash(request.newPassword);
  const now = context.now();
  await context.db.transaction().execute(async (tx) => {
    await assertNotReused(tx, context, user, request.newPassword);
    await updateUser(tx, user.id, {
      password_hash: hash,
      password_set_at: now.toISOString(),
      force_change_password: 0,
      updated_at: now.toISOString(),
    });
    await recordPassword(tx, user, hash, now.toISOString());
    await deleteSessionsOfUser(tx, user.id, request.sessionId);
    await writeAudit(tx, context, { name: user.email, roles: [] }, [
      {
        accountId: user.account_id,
        action: "user.password_change",
        address: user.email,
        after: { passwordChanged: true },
      },
    ]);
  });
  const [updated] = await findUsersByIds(context.db, [user.id]);
  if (!updated) throw new AppError("not_signed_in", "The signed-in user no longer exists.", {});
  return principalOfUser(context.db, updated, now);
}
