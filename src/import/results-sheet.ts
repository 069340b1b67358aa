import type { Cell } from "../sheet/cell.js";
import { neutralizeFormula } from "../sheet/formula-guard.js";
import type { ImportSheet } from "./locate-checkpoint.js";
import { RESULT_HEADERS } from "./map-columns.js";

/** What became of one data row: the results file's Status column. */
export type RowStatus = "Created" | "Updated" | "Unchanged" | "Error" | "Skipped";

export interface RowResult {
  readonly status: RowStatus;
  /** The messages of the row's issues, or "". */
  readonly error: string;
}

export type ResultValue = string | number | boolean | null;

/** Where the header stands: the results columns go right of `lastCol`. */
export interface ResultsLayout {
  readonly headerRow: number;
  readonly email: number;
  readonly lastCol: number;
}

// Dates as the text the uploader saw: the writer has no number formats, and the import reads the text.
const valueOf = (cell: Cell): ResultValue =>
  cell.kind === "number" || cell.kind === "bool" ? cell.value : cell.text;

/**
 * The results file's grid: the uploaded sheet as it was, cell for cell, with `Status` and `Error` inserted
 * right of the last header column (cells further right move two columns over, so a re-import still ignores
 * them). A data row is one the import reads: data between the email and the last header column. A results
 * file uploaded again has its old Status/Error columns replaced, not repeated. Cells are kept as typed: an
 * .xls text cell is never evaluated, and quoting "=x" or "+44 ..." would change what a re-import reads; the
 * CSV, which a spreadsheet program does evaluate, is neutralised by `resultsCsvRows`.
 */
export function buildResultsGrid(
  sheet: ImportSheet,
  layout: ResultsLayout,
  resultOf: (row: number) => RowResult,
): ResultValue[][] {
  const { headerRow, email, lastCol } = layout;
  const old = sheet.cell(headerRow, lastCol + 1)?.text.trim() === RESULT_HEADERS[0];
  // Columns of an earlier results file are dropped: this file's take their place.
  const skip = old ? 2 : 0;
  const grid: ResultValue[][] = [];
  for (const sheetRow of sheet.rows(0)) {
    const r = sheetRow.row;
    const out: ResultValue[] = [];
    for (const col of sheetRow.cols) {
      if (col > lastCol && col <= lastCol + skip) continue;
      const cell = sheetRow.cell(col);
      if (!cell) continue;
      out[col > lastCol ? col + 2 - skip : col] = valueOf(cell);
    }
    if (r === headerRow) {
      out[lastCol + 1] = RESULT_HEADERS[0];
      out[lastCol + 2] = RESULT_HEADERS[1];
    } else if (
      r > headerRow &&
      sheetRow.cols.some((col) => col >= email && col <= lastCol && sheetRow.text(col).trim() !== "")
    ) {
      const result = resultOf(r);
      out[lastCol + 1] = result.status;
      out[lastCol + 2] = result.error;
    }
    grid[r] = out;
  }
  // Dense rows for the writers: holes become empty cells.
  const dense: ResultValue[][] = [];
  for (let r = 0; r < grid.length; r++) dense.push(Array.from(grid[r] ?? [], (v) => v ?? null));
  return dense;
}

/** The grid as CSV rows: booleans as TRUE/FALSE, every text neutralised (formula-guard.ts). */
export function resultsCsvRows(grid: readonly (readonly ResultValue[])[]): (string | number | null)[][] {
  return grid.map((row) =>
    row.map((v) =>
      typeof v === "boolean" ? (v ? "TRUE" : "FALSE") : typeof v === "string" ? neutralizeFormula(v) : v,
    ),
  );
}
