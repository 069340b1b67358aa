import { tryParseAddress } from "../../directory/address.js";
import type { IssueCode } from "../../errors/codes.js";
import {
  findImportById,
  listImportRowsInStates,
  updateImportInStates,
  type ImportRow,
} from "../../store/imports-repository.js";
import type { ServiceContext } from "../context.js";
import { queueImportUnfinishedMail } from "./import-failure-mail.js";
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
 * At server start: an import still uploaded or saving was cut off by the previous process stopping, and no
 * process will finish it. Assumes one server per database, as `serve` runs; returns how many it failed.
 */
export async function failInterruptedImports(context: ServiceContext): Promise<number> {
  let failed = 0;
  for (const row of await listImportRowsInStates(context.db, UNFINISHED)) {
    const message = `The server stopped while this import was ${row.state === "saving" ? "being saved" : "being read"}; nothing was written.`;
    if (await failUnfinished(context, row, "import_interrupted", message)) failed++;
  }
  return failed;
}

/** A background import that ended in an unexpected error: record it rather than leave the import stuck. */
export async function failStuckImport(context: ServiceContext, id: string, reason: string): Promise<void> {
  const row = await findImportById(context.db, id);
  if (!row) return;
  await failUnfinished(context, row, "import_failed", `The import stopped on a server error: ${reason}`);
}
