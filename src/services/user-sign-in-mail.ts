import { mayUseMailService } from "../directory/mail-service-access.js";
import type { ServiceContext } from "./context.js";
import { checkUserSignIn, recordSignIn, type SignInRefusal } from "./user-sign-in.js";

export type MailSignIn =
  { readonly ok: true; readonly email: string } | { readonly ok: false; readonly reason: SignInRefusal };

/**
 * The gateway's mail access check (POP3, SMTP AUTH): the one sign-in check with the service's flag as the
 * door's rule, and an expired password refused, since a mail client cannot offer the change. A forced
 * change does not refuse: the policy names expiry and locks, and the password is right. On success the
 * answer is the user's primary address, under which the mail server files their mail whatever address
 * they signed in with.
 */
export async function checkMailSignIn(
  context: ServiceContext,
  request: { email: string; password: string; service: string },
): Promise<MailSignIn> {
  const detail = { service: request.service };
  const check = await checkUserSignIn(context, {
    email: request.email,
    password: request.password,
    door: "mail-auth",
    admit: (user) => mayUseMailService({ pop: user.pop === 1, submit: user.submit === 1 }, request.service),
    refuseExpired: true,
    detail,
  });
  if (!check.ok) return check;
  const { user } = check;
  await context.db.transaction().execute((tx) => recordSignIn(tx, context, user, "mail-auth", detail));
  return { ok: true, email: user.email };
}
