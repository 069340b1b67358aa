import { buildErrorReport } from "../../import/error-report.js";
import { importTemplateSheets } from "../../import/import-template.js";
import { writeCsv } from "../../sheet/csv/write-csv.js";
import { writeXls } from "../../sheet/xls/write-xls.js";
import type { ServiceContext } from "../context.js";
import { showImport } from "./import-queries.js";

/** A file the API hands out: its name for Content-Disposition, its type and bytes. */
export interface FileDownload {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

export const XLS_TYPE = "application/vnd.ms-excel";
export const CSV_TYPE = "text/csv; charset=utf-8";

/** The uploaded name without its extension, reduced to characters every browser and file system take. */
export function reportBaseName(file: string): string {
  const stem = file.replace(/\.[^.]*$/, "");
  return stem.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80) || "import";
}

/** The error report of one import (errors, then warnings), as .xls or .csv; formula-like cells neutralised. */
export async function importErrorReport(
  context: ServiceContext,
  id: string,
  format: "xls" | "csv",
): Promise<FileDownload> {
  const view = await showImport(context, id);
  // At most 1,000 errors and 100 warnings, then a row saying how many more: within an .xls sheet's rows.
  const rows = buildErrorReport(view.errors, view.warnings, view);
  const fileName = `${reportBaseName(view.file)}-errors.${format}`;
  return format === "xls"
    ? { fileName, contentType: XLS_TYPE, bytes: writeXls([{ name: "Errors", rows }]) }
    : { fileName, contentType: CSV_TYPE, bytes: writeCsv(rows) };
}

/** The blank import template: the headers at A1 of its first sheet, the accepted role names on the second. */
export function importTemplate(): FileDownload {
  return {
    fileName: "mailroster-import-template.xls",
    contentType: XLS_TYPE,
    bytes: writeXls(importTemplateSheets()),
  };
}
