import { randomBytes } from "node:crypto";
import { DEFAULT_PASSWORD_POLICY, checkPassword } from "../directory/password-policy.js";
import { listAccounts } from "../store/accounts-repository.js";
import { initDirectory } from "./accounts-service.js";
import type { ServiceContext } from "./context.js";

/** The first administrator's address when the operator names none. */
export const DEFAULT_FIRST_ADMINISTRATOR = "admin@mailroster.local";

/** A password shown once: 18 random characters plus a symbol, drawn again until the default policy takes it. */
function generatePassword(isCommonPassword: (password: string) => boolean): string {
  for (;;) {
    const password = `${randomBytes(14).toString("base64url")}-${randomBytes(3).toString("base64url")}`;
    if (checkPassword(DEFAULT_PASSWORD_POLICY, password, isCommonPassword).length === 0) return password;
  }
}

/**
 * On an empty directory: an account ("My Organisation", ORG) with the administrator's domain, and the
 * administrator as Super Administrator with a generated password they must change at first sign-in.
 * Answers that sign-in, to be shown once; undefined when an account already exists.
 */
export async function ensureFirstAdministrator(
  context: ServiceContext,
  request: { email?: string | undefined } = {},
): Promise<{ email: string; password: string } | undefined> {
  if ((await listAccounts(context.db)).length > 0) return undefined;
  const email = request.email ?? DEFAULT_FIRST_ADMINISTRATOR;
  const password = generatePassword(context.isCommonPassword);
  await initDirectory(context, {
    account: "My Organisation",
    code: "ORG",
    domains: [email.slice(email.lastIndexOf("@") + 1)],
    admin: email,
    adminPassword: password,
    forceChangePassword: true,
  });
  return { email, password };
}
