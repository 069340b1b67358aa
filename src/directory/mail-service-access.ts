/**
 * Which of a user's settings lets them use a mail service of the gateway, by the service name Dovecot passes
 * (checkpassword's SERVICE): `pop` for POP3; `submit` for SMTP AUTH, whether Postfix asks through Dovecot
 * SASL (`smtp`) or Dovecot's own submission service. Any other service (imap, sieve, doveadm, ...) has no
 * flag of the directory's, so it is refused: the directory grants only what it was told to.
 */
export type MailServiceFlag = "pop" | "submit";

const FLAG_OF_SERVICE: Readonly<Record<string, MailServiceFlag>> = {
  pop3: "pop",
  smtp: "submit",
  submission: "submit",
};

export function mailServiceFlag(service: string): MailServiceFlag | undefined {
  return Object.hasOwn(FLAG_OF_SERVICE, service) ? FLAG_OF_SERVICE[service] : undefined;
}

/** Whether a user with these settings may use the service. */
export function mayUseMailService(user: { pop: boolean; submit: boolean }, service: string): boolean {
  const flag = mailServiceFlag(service);
  return flag !== undefined && user[flag];
}
