import { tryParseAddress } from "../../directory/address.js";
import { AppError } from "../../errors/app-error.js";
import { locateCheckpoint } from "../../import/locate-checkpoint.js";
import { mapColumns } from "../../import/map-columns.js";
import { readRows } from "../../import/read-rows.js";
import {
  buildResultsGrid,
  resultsCsvRows,
  type RowResult,
  type RowStatus,
} from "../../import/results-sheet.js";
import { writeCsv } from "../../sheet/csv/write-csv.js";
import { readXls } from "../../sheet/xls/read-xls.js";
import { writeXls } from "../../sheet/xls/write-xls.js";
import { listImportUserChanges } from "../../store/audit-repository.js";
import { loadImportFile } from "../../store/import-files-repository.js";
import { findImportById } from "../../store/imports-repository.js";
import type { ServiceContext } from "../context.js";
import { CSV_TYPE, reportBaseName, XLS_TYPE, type FileDownload } from "./import-files.js";
import { showImport } from "./import-queries.js";
import type { ImportView } from "./import-states.js";

function unavailable(id: string, why: string): AppError {
  return new AppError(
    "import_results_unavailable",
    `${why} Upload the file again to get a new results file.`,
    {
      id,
    },
  );
}

/** The users a saved import created or changed, by address key: their rows read Created or Updated. */
async function savedStatuses(context: ServiceContext, view: ImportView, id: string) {
  const row = await findImportById(context.db, id);
  const changes = await listImportUserChanges(context.db, {
    accountId: row?.account_id ?? "",
    importId: id,
    from: view.at,
  });
  const byKey = new Map<string, RowStatus>();
  for (const c of changes)
    byKey.set(c.address.toLowerCase(), c.action === "user.create" ? "Created" : "Updated");
  return byKey;
}

/**
 * The results file of a user import: the uploaded sheet with Status and Error columns, ready to fix and
 * upload again. A saved import's rows read Created, Updated or Unchanged (from its audit rows); an unsaved
 * one's read Error with the row's messages, or Skipped (nothing was written). The record lists the first
 * 1,000 errors: a row with a cell error beyond them is found again by reading the file, and names the report.
 */
export async function importResultsFile(
  context: ServiceContext,
  id: string,
  format: "xls" | "csv",
): Promise<FileDownload> {
  const view = await showImport(context, id);
  if (view.kind !== "users") throw unavailable(id, "Only a user import has a results file.");
  if (view.state === "uploaded" || view.state === "saving") {
    throw unavailable(id, "The import is still running: wait for it to end.");
  }
  const bytes = await loadImportFile(context.db, id);
  if (!bytes) throw unavailable(id, "The uploaded file is kept for 7 days and this one is gone.");
  const located = locateCheckpoint(readXls(bytes, { fileName: view.file }).sheets);
  if (!located.found) throw unavailable(id, "The file has no `email` header to add results beside.");
  const { sheet } = located.checkpoint;
  const { map } = mapColumns(sheet, located.checkpoint);

  let resultOf: (row: number) => RowResult;
  if (view.saved || view.state === "saved") {
    const byKey = await savedStatuses(context, view, id);
    const emails = new Map<number, string>();
    for (const r of sheet.rows(map.headerRow + 1)) emails.set(r.row, r.text(map.email).trim());
    resultOf = (row) => {
      const key = tryParseAddress(emails.get(row) ?? "")?.key;
      return { status: (key && byKey.get(key)) || "Unchanged", error: "" };
    };
  } else {
    const messages = new Map<number, string[]>();
    for (const issue of view.errors) {
      if (issue.row !== null)
        messages.set(issue.row - 1, [...(messages.get(issue.row - 1) ?? []), issue.message]);
    }
    // Rows with a cell error the record did not list (it keeps the first 1,000).
    const invalid = new Set(readRows(sheet, map).rows.flatMap((r) => (r.invalid ? [r.row] : [])));
    resultOf = (row) => {
      const listed = messages.get(row);
      if (listed) return { status: "Error", error: listed.join(" ") };
      if (invalid.has(row))
        return { status: "Error", error: "A cell of this row has an error: see the error report." };
      return { status: "Skipped", error: "" };
    };
  }
  const grid = buildResultsGrid(sheet, map, resultOf);
  const fileName = `${reportBaseName(view.file)}-results.${format}`;
  return format === "xls"
    ? {
        fileName,
        contentType: XLS_TYPE,
        bytes: writeXls([{ name: sheet.name.slice(0, 31) || "Users", rows: grid }]),
      }
    : { fileName, contentType: CSV_TYPE, bytes: writeCsv(resultsCsvRows(grid)) };
}
