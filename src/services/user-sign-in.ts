import { tryParseAddress } from "../directory/address.js";
import { computePasswordExpiry } from "../directory/password-policy.js";
import { findAddressesByKeys } from "../store/addresses-repository.js";
import type { Executor } from "../store/schema.js";
import {
  deleteSignInFailures,
  findSignInFailures,
  upsertSignInFailures,
  type SignInFailuresRow,
} from "../store/sign-in-failures-repository.js";
import { findUsersByIds, updateUser, type UserRow } from "../store/users-repository.js";
import { writeAudit, type ServiceContext, type Tx } from "./context.js";
import { loadPasswordPolicy } from "./password-policy-service.js";

/** Where a user signs in: each door is named in the audit; the lockout counts them all together. */
export type SignInDoor = "console" | "portal" | "oidc" | "mail-auth";

export type PasswordChange = "forced" | "expired" | null;

/**
 * Why a sign-in was refused, for the caller's own records and tests. No door shows it to the person signing
 * in: every refusal is answered alike (see authService's signInFailed), or the reply would name the
 * addresses that exist, or tell a locked user's right guess from a wrong one.
 */
export type SignInRefusal =
  | "unknown" // no user has the address, or the user has no password
  | "locked" // by an administrator, by the lockout, or by an import's accountlockedout
  | "wrong_password"
  | "password_expired" // the door cannot offer the change (mail-auth)
  | "not_admitted"; // the door's own rule: no administrator role (console), the service's flag (mail-auth)

export type SignInCheck =
  | { readonly ok: true; readonly user: UserRow; readonly passwordChange: PasswordChange }
  | { readonly ok: false; readonly reason: SignInRefusal };

export interface SignInAttempt {
  /** The primary address or an alias. */
  readonly email: string;
  readonly password: string;
  readonly door: SignInDoor;
  /** The door's own rule, asked only after the password was verified; a refusal by it never counts. */
  readonly admit?: (user: UserRow) => Promise<boolean> | boolean;
  /** Refuse an expired password instead of reporting it (a door that cannot offer the change). */
  readonly refuseExpired?: boolean;
  /** Added to the audit rows of this attempt (e.g. the mail service asked for). */
  readonly detail?: Readonly<Record<string, string>>;
}

// An argon2id hash with the hasher's parameters (adapters/password-hasher.ts OWASP_ARGON2ID) of a password
// nobody holds: verifying against it costs what a real verify costs, and a short-lived process (mail-auth)
// need not hash first, which would make an unknown address take twice as long.
export const TIMING_EQUALISER_HASH =
  "$argon2id$v=19$m=12288,t=3,p=1$Egnp/G4s7CGDbLWl5zAmfQ$0DXuFEjV3Xt1vzNWiD2u4DLgN/w+0Db+eJ9SbQsuY0k";

/** Whether the user must set a new password first: forced (by an administrator or an import), or expired. */
export async function passwordChangeOf(db: Executor, user: UserRow, now: Date): Promise<PasswordChange> {
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

/** The user an address (primary or alias) belongs to, when it has a password. */
async function findUserToSignIn(db: Executor, email: string): Promise<UserRow | undefined> {
  const address = tryParseAddress(email);
  const [found] = address ? await findAddressesByKeys(db, [address.key]) : [];
  const [user] = found ? await findUsersByIds(db, [found.user_id]) : [];
  return user?.password_hash ? user : undefined;
}

/**
 * Records a refused sign-in of a known user. Only a wrong password of a user not locked counts toward the
 * lockout; every refusal writes the same rows (with the count unchanged when it does not count), so each
 * kind of refusal costs the same queries. Reaching the policy's threshold locks the user, on the record.
 */
async function recordRefusal(
  context: ServiceContext,
  user: UserRow,
  previous: SignInFailuresRow | undefined,
  attempt: SignInAttempt,
  reason: SignInRefusal,
  now: Date,
): Promise<void> {
  const counts = reason === "wrong_password";
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
    await writeAudit(tx, context, { name: attempt.door, roles: [] }, [
      {
        accountId: user.account_id,
        action: "auth.sign_in_failure",
        address: user.email,
        after: { door: attempt.door, reason, ...attempt.detail },
      },
    ]);
    if (lock) {
      await writeAudit(tx, context, { name: "lockout", roles: "all" }, [
        {
          accountId: user.account_id,
          action: "user.lockout",
          address: user.email,
          after: { locked: true, lockedUntil, failures: count, door: attempt.door },
        },
      ]);
      await updateUser(tx, user.id, { locked: 1, updated_at: now.toISOString() });
    }
  });
}

/** Lifts a lockout that has run its time, on the record; an administrator's lock (no end) stays. */
async function liftLapsedLockout(
  context: ServiceContext,
  user: UserRow,
  failures: SignInFailuresRow | undefined,
  now: Date,
): Promise<boolean> {
  const lockedUntil = failures?.locked_until ?? null;
  if (user.locked !== 1 || lockedUntil === null || new Date(lockedUntil).getTime() > now.getTime()) {
    return false;
  }
  await context.db.transaction().execute(async (tx) => {
    await updateUser(tx, user.id, { locked: 0, updated_at: now.toISOString() });
    await deleteSignInFailures(tx, user.id);
    await writeAudit(tx, context, { name: "lockout", roles: "all" }, [
      { accountId: user.account_id, action: "user.unlock", address: user.email, after: { locked: false } },
    ]);
  });
  return true;
}

/**
 * The one check of an address and a password, whatever the door: honours an administrator's lock and the
 * policy's lockout (N failures lock the user for M minutes, then the lock lifts itself) across every door,
 * and reports a forced or expired password. Every attempt costs exactly one argon2 verify (an unknown
 * address and a locked user too: the time taken must not tell them apart). On success the caller records
 * the sign-in with `recordSignIn` in the transaction that opens its session.
 */
export async function checkUserSignIn(context: ServiceContext, attempt: SignInAttempt): Promise<SignInCheck> {
  const user = await findUserToSignIn(context.db, attempt.email);
  if (!user?.password_hash) {
    await context.hasher.verify(TIMING_EQUALISER_HASH, attempt.password);
    return { ok: false, reason: "unknown" };
  }
  const now = context.now();
  let failures = await findSignInFailures(context.db, user.id);
  let locked = user.locked === 1;
  if (await liftLapsedLockout(context, user, failures, now)) {
    locked = false;
    failures = undefined;
  }
  const passwordRight = await context.hasher.verify(user.password_hash, attempt.password);
  // Asked whatever the password was, so a refusal costs the same queries as any other.
  const admitted = attempt.admit === undefined || (await attempt.admit(user));
  const passwordChange = await passwordChangeOf(context.db, user, now);
  const reason: SignInRefusal | undefined = locked
    ? "locked"
    : !passwordRight
      ? "wrong_password"
      : !admitted
        ? "not_admitted"
        : attempt.refuseExpired === true && passwordChange === "expired"
          ? "password_expired"
          : undefined;
  if (reason !== undefined) {
    // A right password refused by the door's rule neither counts toward the lockout (it was right) nor
    // clears the count: either would change what the next attempts see.
    await recordRefusal(context, user, failures, attempt, reason, now);
    return { ok: false, reason };
  }
  return { ok: true, user, passwordChange };
}

/** Records a successful sign-in inside the caller's transaction: the failure count restarts, on the record. */
export async function recordSignIn(
  tx: Tx,
  context: ServiceContext,
  user: UserRow,
  door: SignInDoor,
  detail: Readonly<Record<string, string>> = {},
): Promise<void> {
  await deleteSignInFailures(tx, user.id);
  await writeAudit(tx, context, { name: user.email, roles: [] }, [
    {
      accountId: user.account_id,
      action: "auth.sign_in",
      address: user.email,
      // The console's rows stay as they were; the other doors name themselves.
      after: door === "console" ? undefined : { door, ...detail },
    },
  ]);
}
