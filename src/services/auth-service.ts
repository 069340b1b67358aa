import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { tryParseAddress } from "../directory/address.js";
import { assertPasswordAcceptable, computePasswordExpiry } from "../directory/password-policy.js";
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
import {
  deleteSignInFailures,
  findSignInFailures,
  upsertSignInFailures,
  type SignInFailuresRow,
} from "../store/sign-in-failures-repository.js";
import { revokeApiTokensOfUser } from "../store/api-tokens-repository.js";
import type { Executor } from "../store/schema.js";
import { findAddressesByKeys } from "../store/addresses-repository.js";
import { findRolesByUserIds } from "../store/roles-repository.js";
import { findUsersByIds, updateUser, type UserRow } from "../store/users-repository.js";
import { authorize, newId, writeAudit, type Authorized, type ServiceContext, type Tx } from "./context.js";
import { loadPasswordPolicy } from "./password-policy-service.js";
import type { MeView } from "./view-schemas.js";
import { assertNotReused, recordPassword } from "./users/password-history.js";

/** A session ends this long after sign-in, whatever happens. */
export const SESSION_MAX_AGE_MS = 12 * 3_600_000;
/** ... or after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60_000;
// Writing last_seen_at on every request would make every read a write; a minute's precision is plenty.
const TOUCH_EVERY_MS = 60_000;

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

async function passwordChangeOf(
  db: Executor,
  user: UserRow,
  now: Date,
): Promise<"forced" | "expired" | null> {
  if (user.force_change_password === 1) return "forced";
  if (user.password_set_at === null) return "forced";
  const policy = await loadPasswordPolicy(db, user.account_id);
  const expiry = computePasswordExpiry(
    policy,
    new Date(user.password_set_at),
    user.password_never_expires === 1,
  );
  return expiry !== undefined && expiry.getTime() <= now.getTime() ? "expired" : null;
}

async function buildPrincipal(db: Executor, user: UserRow, now: Date): Promise<Principal> {
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
  return buildPrincipal(db, user, now);
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

let dummyHash: Promise<string> | undefined;

/**
 * Every refused sign-in looks the same: unknown address, no password, wrong password, no administrator role,
 * locked by an administrator or by the lockout. Telling them apart would name the addresses that exist, the
 * mail users whose password a guess hit, and (for a locked user) whether a guess was right, which would let
 * guessing go on through the lockout.
 */
function signInFailed(): AppError {
  return new AppError("sign_in_failed", "The sign-in failed: check the email and password.", {});
}

/** The refusal of an address no user with a password has: one verify, as long as any other attempt takes. */
async function refuseUnknown(context: ServiceContext, password: string): Promise<never> {
  dummyHash ??= context.hasher.hash("mailroster timing equaliser");
  await context.hasher.verify(await dummyHash, password);
  throw signInFailed();
}

/**
 * Records a refused sign-in of a known user. Only a wrong password of a user not locked counts toward the
 * lockout; every refusal writes the same row (with the count unchanged when it does not count), so each
 * kind of refusal costs the same queries. Reaching the policy's threshold locks the user, on the record.
 */
async function recordRefusal(
  context: ServiceContext,
  user: UserRow,
  previous: SignInFailuresRow | undefined,
  counts: boolean,
  now: Date,
): Promise<void> {
  const policy = await loadPasswordPolicy(context.db, user.account_id);
  const count = (previous?.failures ?? 0) + (counts ? 1 : 0);
  const lock = counts && policy.lockoutThreshold > 0 && count >= policy.lockoutThreshold;
  await context.db.transaction().execute(async (tx) => {
    const lockedUntil = lock
      ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString()
      : (previous?.locked_until ?? null);
    await upsertSignInFailures(tx, {
      user_id: user.id,
      account_id: user.account_id,
      failures: count,
      last_failure_at: now.toISOString(),
      locked_until: lockedUntil,
    });
    if (lock) {
      await updateUser(tx, user.id, { locked: 1, updated_at: now.toISOString() });
      await writeAudit(tx, context, { name: "lockout", roles: "all" }, [
        {
          accountId: user.account_id,
          action: "user.lockout",
          address: user.email,
          after: { locked: true, lockedUntil, failures: count },
        },
      ]);
    }
  });
}

/**
 * Signs an administrator in: honours an administrator's lock and the policy's lockout (N failures lock the
 * user for M minutes, then the lock lifts itself), and reports a forced or expired password so the caller
 * restricts the session to changing it. Returns the new session's secret (for the cookie) and CSRF token.
 * Every refusal is `sign_in_failed` after exactly one argon2 verify.
 */
export async function signIn(
  context: ServiceContext,
  request: { email: string; password: string },
): Promise<{ secret: string; csrfToken: string; principal: Principal }> {
  const address = tryParseAddress(request.email);
  const [found] = address ? await findAddressesByKeys(context.db, [address.key]) : [];
  const [user] = found ? await findUsersByIds(context.db, [found.user_id]) : [];
  if (!user?.password_hash) return refuseUnknown(context, request.password);
  const now = context.now();
  const actor = { name: user.email, roles: [] as RoleId[] };
  let failures = await findSignInFailures(context.db, user.id);
  let locked = user.locked === 1;
  const lockedUntil = failures?.locked_until ?? null;
  if (locked && lockedUntil !== null && new Date(lockedUntil).getTime() <= now.getTime()) {
    // The policy's lockout has run its time: lift it, on the record. (An administrator's lock has no end.)
    await context.db.transaction().execute(async (tx) => {
      await updateUser(tx, user.id, { locked: 0, updated_at: now.toISOString() });
      await deleteSignInFailures(tx, user.id);
      await writeAudit(tx, context, { name: "lockout", roles: "all" }, [
        { accountId: user.account_id, action: "user.unlock", address: user.email, after: { locked: false } },
      ]);
    });
    locked = false;
    failures = undefined;
  }
  // The verify runs for a locked user too: the time taken must not tell a locked user from another.
  const passwordRight = await context.hasher.verify(user.password_hash, request.password);
  // The console is for administrators: a mail user with the right password still gets no session.
  const administrator = (await rolesOf(context.db, user.id)).length > 0;
  if (locked || !passwordRight || !administrator) {
    // A right password of a user without a role does not count toward the lockout (it was right), nor
    // does it clear the count: either would change what the next attempts see.
    await recordRefusal(context, user, failures, !locked && !passwordRight, now);
    throw signInFailed();
  }
  const secret = randomBytes(32).toString("base64url");
  await context.db.transaction().execute(async (tx) => {
    await deleteSignInFailures(tx, user.id);
    await insertSession(tx, {
      id: newId(),
      account_id: user.account_id,
      user_id: user.id,
      secret_hash: hashSecret(secret),
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_MAX_AGE_MS).toISOString(),
    });
    await writeAudit(tx, context, actor, [
      { accountId: user.account_id, action: "auth.sign_in", address: user.email },
    ]);
  });
  return { secret, csrfToken: csrfTokenFor(secret), principal: await buildPrincipal(context.db, user, now) };
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
  const lastSeen = new Date(session.last_seen_at).getTime();
  if (
    new Date(session.expires_at).getTime() <= now.getTime() ||
    lastSeen + SESSION_IDLE_MS <= now.getTime()
  ) {
    await deleteSession(db, session.id);
    return undefined;
  }
  const principal = await loadPrincipal(db, session.user_id, now);
  if (!principal) {
    // Locked or stripped of every role since signing in: the session ends now.
    await deleteSession(db, session.id);
    return undefined;
  }
  if (now.getTime() - lastSeen >= TOUCH_EVERY_MS) await touchSession(db, session.id, now.toISOString());
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
  return buildPrincipal(context.db, updated, now);
}
