import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher, type PasswordHasher } from "../../src/adapters/password-hasher.js";
import type { Actor, ServiceContext } from "../../src/services/context.js";
import { initDirectory } from "../../src/services/accounts-service.js";
import { createGroup } from "../../src/services/groups-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createUser } from "../../src/services/users/create-user.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createSqliteDatabase, type OpenDatabase } from "../../src/store/open-database.js";

export const ADMIN_PASSWORD = "Sunny-Harbour-42";

export function makeContext(
  open: OpenDatabase,
  actor: Actor = { kind: "system", name: "test" },
): ServiceContext {
  return { db: open.db, hasher: createArgon2Hasher(), isCommonPassword, now: () => new Date(), actor };
}

/** The argon2 hasher, counting verifies: every sign-in attempt must spend exactly one. */
export function countingHasher(): { hasher: PasswordHasher; verifies: () => number } {
  const real = createArgon2Hasher();
  let count = 0;
  return {
    hasher: {
      hash: (password) => real.hash(password),
      verify: (hashed, password) => {
        count++;
        return real.verify(hashed, password);
      },
    },
    verifies: () => count,
  };
}

/** helen@example.com, who signs in with this password as it is (no change forced); each test gives her roles. */
export const HELEN = {
  email: "helen@example.com",
  name: "Helen",
  password: "Tidal-Lantern-7",
  forceChangePassword: false,
};

/** Builder: an account CxAy with example.com and example.org, and admin@example.com as Super Administrator. */
export async function initExample(context: ServiceContext): Promise<void> {
  await initDirectory(context, {
    account: "Example Ltd",
    code: "CxAy",
    domains: ["example.com", "example.org"],
    admin: "admin@example.com",
    adminPassword: ADMIN_PASSWORD,
  });
}

/**
 * Builder: the example directory, its `context` reading the time from a clock the test moves (from
 * 2026-01-05 09:00 UTC), and `now` reading the same clock for an app over the database; `hasher` replaces
 * the context's.
 */
export async function exampleWithClock(
  open: OpenDatabase,
  hasher?: PasswordHasher,
): Promise<{ clock: { now: Date }; now: () => Date; context: ServiceContext }> {
  const clock = { now: new Date("2026-01-05T09:00:00Z") };
  const now = (): Date => clock.now;
  const context = { ...makeContext(open), now, ...(hasher ? { hasher } : {}) };
  await initExample(context);
  return { clock, now, context };
}

/**
 * Builder: the example directory (`system` acts for it) and a new user in it holding `role`, with a context
 * acting as that user (`acting`).
 */
export async function exampleWithAdministrator(
  open: OpenDatabase,
  user: { email: string; name: string; role: string },
): Promise<{ system: ServiceContext; acting: ServiceContext }> {
  const system = makeContext(open);
  await initExample(system);
  await createUser(system, { email: user.email, name: user.name });
  await assignRole(system, { email: user.email, role: user.role });
  return { system, acting: makeContext(open, { kind: "user", email: user.email }) };
}

/** Builder: the example directory with the group Staff; `system` acts for it, `admin` as admin@example.com. */
export async function exampleWithStaff(
  open: OpenDatabase,
): Promise<{ system: ServiceContext; admin: ServiceContext }> {
  const system = makeContext(open);
  await initExample(system);
  await createGroup(system, { path: "Staff" });
  return { system, admin: makeContext(open, { kind: "user", email: "admin@example.com" }) };
}

/** Runs `use` on the example directory in a fresh, migrated SQLite file (the benchmarks' start); removes it after. */
export async function withExampleSqlite<T>(
  use: (context: ServiceContext, open: OpenDatabase) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-bench-"));
  const open = createSqliteDatabase(join(dir, "bench.db"));
  try {
    await migrateToLatest(open.db);
    const context = makeContext(open);
    await initExample(context);
    return await use(context, open);
  } finally {
    await open.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
