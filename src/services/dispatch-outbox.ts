import { openMailTransport } from "../adapters/mail-transport.js";
import { listOutboxRows, updateOutbox } from "../store/outbox-repository.js";
import type { Executor } from "../store/schema.js";

export interface DispatchOptions {
  /** smtp://host:port (or smtps://); without it nothing is sent and mail stays queued. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
  readonly now: () => Date;
}

export interface DispatchResult {
  sent: number;
  failed: number;
  queued: number;
}

/** After this many failed attempts a mail is marked failed and no longer retried. */
export const MAX_ATTEMPTS = 5;

/**
 * Sends every queued mail of the outbox. Runs after the transaction that wrote the mail has committed,
 * so a mail is never sent for a change that rolled back; a mail that cannot be sent stays queued (with its
 * error) for the next run, and each mail is marked sent on its own, so running twice sends nothing twice.
 */
export async function dispatchOutbox(db: Executor, options: DispatchOptions): Promise<DispatchResult> {
  const queued = await listOutboxRows(db, "queued");
  const result: DispatchResult = { sent: 0, failed: 0, queued: queued.length };
  if (options.smtpUrl === undefined || options.smtpUrl === "" || queued.length === 0) return result;
  const transport = openMailTransport(options.smtpUrl);
  try {
    for (const mail of queued) {
      try {
        await transport.send({
          from: options.from,
          to: mail.recipient,
          subject: mail.subject,
          text: mail.body,
        });
        await updateOutbox(db, mail.id, {
          state: "sent",
          attempts: mail.attempts + 1,
          last_error: null,
          sent_at: options.now().toISOString(),
        });
        result.sent++;
        result.queued--;
      } catch (error) {
        const attempts = mail.attempts + 1;
        await updateOutbox(db, mail.id, {
          state: attempts >= MAX_ATTEMPTS ? "failed" : "queued",
          attempts,
          last_error: error instanceof Error ? error.message : String(error),
        });
        result.failed++;
        if (attempts >= MAX_ATTEMPTS) result.queued--;
      }
    }
  } finally {
    transport.close();
  }
  return result;
}
