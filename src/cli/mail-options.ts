import type { DispatchOptions } from "../services/dispatch-outbox.js";

/** SMTP_URL and MAIL_FROM from the environment. */
export function dispatchOptionsFromEnv(now: () => Date = () => new Date()): DispatchOptions {
  return {
    smtpUrl: process.env.SMTP_URL,
    from: process.env.MAIL_FROM ?? "mailroster@localhost",
    now,
  };
}
