import { insertOutbox, listOutboxRows, type OutboxRow } from "../store/outbox-repository.js";
import type { Executor } from "../store/schema.js";
import { newId, type ServiceContext } from "./context.js";

export interface MailView {
  id: string;
  to: string;
  subject: string;
  body: string;
  state: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Writes a mail into the outbox inside the caller's transaction; the dispatcher sends it after commit. */
export async function queueMail(
  db: Executor,
  context: ServiceContext,
  mail: { accountId: string; to: string; subject: string; body: string },
): Promise<string> {
  const id = newId();
  await insertOutbox(db, {
    id,
    account_id: mail.accountId,
    recipient: mail.to,
    subject: mail.subject,
    body: mail.body,
    state: "queued",
    attempts: 0,
    last_error: null,
    created_at: context.now().toISOString(),
    sent_at: null,
  });
  return id;
}

export function mapMail(row: OutboxRow): MailView {
  return {
    id: row.id,
    to: row.recipient,
    subject: row.subject,
    body: row.body,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

/** `outbox list`: every mail, oldest first. */
export async function listOutbox(context: ServiceContext): Promise<MailView[]> {
  return (await listOutboxRows(context.db)).map(mapMail);
}
