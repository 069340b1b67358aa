import { tryParseAddress } from "../../directory/address.js";
import type { IssueCode } from "../../errors/codes.js";
import {
  findImportById,
  listImportRowsInStates,
  updateImportInStates,
  type ImportRow,
} from "../../store/imports-repository.js";
import type { ServiceContext } from "../context.js";
import { heartbeatsOf, type UnfinishedWork } from "../job-heartbeats.js";
import { queueImportUnfinishedMail } from "./import-failure-mail.js";
import type { ImportProgress } from "./import-request.js";
import type { IssueView } from "./import-states.js";

// States an import passes through while a process works on it; one left there with no process is stuck.
const UNFINISHED = ["uploaded", "saving"] as const;

/**
 * Marks an unfinished import failed with `code`, adds the issue to its errors and, when the importer is an
 * administrator (an address), queues the failure mail, all in one transaction. A save writes the directory
 * in one transaction, so an interrupted save wrote nothing and "failed" is the truth. Returns false when
 * the import had already finished (the update is guarded by its state).
 */
async function failUnfinished(
  context: ServiceContext,
  row: ImportRow,
  code: IssueCode,
  message: string,
): Promise<boolean> {
  const issue: IssueView = { code, cell: null, row: null, column: null, message };
  const errors = [...(JSON.parse(row.errors_json) as IssueView[]), issue];
  return context.db.transaction().execute(async (tx) => {
    const moved = await updateImportInStates(tx, row.id, UNFINISHED, {
      state: "failed",
      errors_json: JSON.stringify(errors),
      error_count: row.error_count + 1,
      updated_at: context.now().toISOString(),
    });
    const to = tryParseAddress(row.actor);
    if (moved && to) {
      await queueImportUnfinishedMail(tx, context, to.address, {
        accountId: row.account_id,
        importId: row.id,
        file: row.file_name,
        reason: message,
      });
    }
    return moved;
  });
}

/**
 * At server start: an import still uploaded or saving was cut off by a process stopping, and no process will
 * finish it. With `staleAfterMs` (several servers on one database) only an import whose server has shown no
 * sign of life for that long is failed: another server may be running the rest. Returns how many it failed.
 */
export async function failInterruptedImports(
  context: ServiceContext,
  options: { staleAfterMs?: number | undefined } = {},
): Promise<number> {
  const rows = await listImportRowsInStates(context.db, UNFINISHED);
  const works = rows.map((row) => ({ id: row.id, ...leasedImport(context, row) }));
  return IMPORT_HEARTBEATS.failStale(context, works, options.staleAfterMs);
}

function failInterrupted(context: ServiceContext, row: ImportRow): Promise<boolean> {
  const message = `The server stopped while this import was ${row.state === "saving" ? "being saved" : "being read"}; nothing was written.`;
  return failUnfinished(context, row, "import_interrupted", message);
}

/**
 * The running server's sign of life and progress (at most about once a second), so every server can show the
 * progress and tell a live import from an orphan. Its lease's watchdog, on whichever server takes it: an
 * import that finished needs nothing; one whose server's heartbeat is younger than the lease is alive; else
 * its server is gone (its transaction rolled back), and it is failed `import_interrupted` with the importer's
 * mail. The update is guarded by the state, so of two servers settling one import, one fails it.
 */
export const IMPORT_HEARTBEATS = heartbeatsOf<ImportProgress>("import", async (context, id) => {
  const row = await findImportById(context.db, id);
  return row && (UNFINISHED as readonly string[]).includes(row.state)
    ? leasedImport(context, row)
    : undefined;
});

/** An unfinished import as its lease sees it: alive while its record or heartbeat is recent. */
function leasedImport(context: ServiceContext, row: ImportRow): UnfinishedWork {
  return { recordedAt: row.updated_at, fail: () => failInterrupted(context, row) };
}

/** A background import that ended in an unexpected error: record it rather than leave the import stuck. */
export async function failStuckImport(context: ServiceContext, id: string, reason: string): Promise<void> {
  const row = await findImportById(context.db, id);
  if (!row) return;
  await failUnfinished(context, row, "import_failed", `The import stopped on a server error: ${reason}`);
}
