import type { Cell } from "../sheet/cell.js";
import { cellRef } from "../sheet/cell-ref.js";
import { excerpt, issueAt, issueNowhere, type ImportIssue } from "./import-issue.js";

/** The part of a worksheet the import reads; every reader under sheet/ provides it. */
export interface ImportSheet {
  readonly name: string;
  cell(row: number, col: number): Cell | undefined;
  rows(fromRow?: number): Iterable<{
    readonly row: number;
    readonly cols: readonly number[];
    text(col: number): string;
    cell(col: number): Cell | undefined;
  }>;
  findCell(predicate: (text: string) => boolean, maxRows: number, maxCols: number): Cell | undefined;
}

/** A1:M99: the area the commercial gateway searches for the checkpoint. */
export const CHECKPOINT_ROWS = 99;
export const CHECKPOINT_COLS = 13;
/** How far beyond A1:M99 we look for a checkpoint that is merely misplaced, to say so. */
const NEAR_MISS_ROWS = 200;
const NEAR_MISS_COLS = 52;

export const CHECKPOINT_TEXT = "email";

export interface Checkpoint<S extends ImportSheet = ImportSheet> {
  readonly sheet: S;
  readonly row: number;
  readonly col: number;
  /** e.g. "D5". */
  readonly cell: string;
}

export type CheckpointResult<S extends ImportSheet> =
  | { readonly found: true; readonly checkpoint: Checkpoint<S> }
  | { readonly found: false; readonly issues: ImportIssue[] };

const isCheckpointOf =
  (header: string) =>
  (text: string): boolean =>
    text.trim() === header;
// `Email`, `EMAIL `, `e-mail`, `e mail`: an administrator meant the checkpoint.
const isNearMissOf = (header: string) => {
  const isCheckpoint = isCheckpointOf(header);
  return (text: string): boolean =>
    !isCheckpoint(text) &&
    text
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, "") === header;
};

/**
 * Finds the checkpoint: the first cell whose trimmed text is exactly `header` (`email` for a user sheet,
 * `primary` for a delegate sheet) within A1:M99, scanning row by row, left to right, in the first worksheet
 * (workbook order) that has one. When none has one, the issues name the sheets searched and every near
 * miss: a wrong spelling inside the area, or the header outside it.
 */
export function locateCheckpoint<S extends ImportSheet>(
  sheets: readonly S[],
  header: string = CHECKPOINT_TEXT,
): CheckpointResult<S> {
  const isCheckpoint = isCheckpointOf(header);
  const isNearMiss = isNearMissOf(header);
  for (const sheet of sheets) {
    const cell = sheet.findCell(isCheckpoint, CHECKPOINT_ROWS, CHECKPOINT_COLS);
    if (cell) {
      return {
        found: true,
        checkpoint: { sheet, row: cell.row, col: cell.col, cell: cellRef(cell.row, cell.col) },
      };
    }
  }
  const issues: ImportIssue[] = [
    issueNowhere(
      "checkpoint_not_found",
      `No cell in A1:M99 holds the header "${header}" (searched: ${sheets.map((s) => `"${s.name}"`).join(", ")}). ` +
        `Put "${header}", in lower case, above the column of addresses.`,
    ),
  ];
  for (const sheet of sheets) {
    for (const row of sheet.rows()) {
      if (row.row >= NEAR_MISS_ROWS) break;
      for (const col of row.cols) {
        if (col >= NEAR_MISS_COLS) break;
        const text = row.text(col);
        const inside = row.row < CHECKPOINT_ROWS && col < CHECKPOINT_COLS;
        if (inside && isNearMiss(text)) {
          issues.push(
            issueAt(
              "checkpoint_near_miss",
              row.row,
              col,
              `"${excerpt(text)}" in sheet "${sheet.name}": the header must be "${header}", in lower case, without spaces.`,
            ),
          );
        } else if (!inside && (isCheckpoint(text) || isNearMiss(text))) {
          issues.push(
            issueAt(
              "checkpoint_near_miss",
              row.row,
              col,
              `"${excerpt(text)}" in sheet "${sheet.name}" lies outside A1:M99: move the header row into A1:M99.`,
            ),
          );
        }
      }
    }
  }
  return { found: false, issues };
}
