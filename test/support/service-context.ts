import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import type { Actor, ServiceContext } from "../../src/services/context.js";
import { initDirectory } from "../../src/services/accounts-service.js";
import type { OpenDatabase } from "../../src/store/open-database.js";

export const ADMIN_PASSWORD = "Sunny-Harbour-42";

export function makeContext(
  open: OpenDatabase,
  actor: Actor = { kind: "system", name: "test" },
): ServiceContext {
  return { db: open.db, hasher: createArgon2Hasher(), isCommonPassword, now: () => new Date(), actor };
}

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
