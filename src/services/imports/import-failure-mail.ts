import type { ServiceContext, Tx } from "../context.js";
import { queueMail } from "../outbox-service.js";
import type { ImportOutcome } from "./import-states.js";

const MAIL_ERRORS = 10;

/**
 * Queues, in the caller's transaction, the mail that tells the importer their import failed: its first
 * errors and how many there are. Issue messages never hold a password: the mail is built from them alone.
 */
export async function queueImportFailedMail(
  tx: Tx,
  context: ServiceContext,
  to: string,
  failed: {
    readonly importId: string;
    readonly account: { readonly id: string; readonly code: string };
    readonly outcome: ImportOutcome<unknown>;
  },
): Promise<void> {
  const { importId, account, outcome } = failed;
  const first = outcome.errors.slice(0, MAIL_ERRORS);
  const lines = [
    `Your import of ${outcome.file} could not be saved; nothing was changed.`,
    "",
    `Import: ${importId}`,
    `File: ${outcome.file}`,
    `Account: ${account.code}`,
    `Reason: ${first[0]?.message ?? "unknown"}`,
    "",
    `Errors (${outcome.errorCount}${outcome.errorCount > first.length ? `, the first ${first.length}` : ""}):`,
    ...first.map((e) => `  ${e.cell ?? (e.row === null ? "-" : `row ${e.row}`)}  ${e.code}  ${e.message}`),
    "",
    "Correct the file and import it again.",
  ];
  await queueMail(tx, context, {
    accountId: account.id,
    to,
    subject: `Import failed: ${outcome.file}`,
    body: lines.join("\n") + "\n",
  });
}

/** Queues the mail for an import no process will finish (a stopped server, a crash of the runner). */
export async function queueImportUnfinishedMail(
  tx: Tx,
  context: ServiceContext,
  to: string,
  unfinished: {
    readonly accountId: string;
    readonly importId: string;
    readonly file: string;
    readonly reason: string;
  },
): Promise<void> {
  const { accountId, importId, file, reason } = unfinished;
  await queueMail(tx, context, {
    accountId,
    to,
    subject: `Import failed: ${file}`,
    body:
      `Your import of ${file} could not be finished; nothing was changed.\n\n` +
      `Import: ${importId}\nFile: ${file}\nReason: ${reason}\n\nImport the file again.\n`,
  });
}
