import { hasErrors, type ImportIssue } from "./import-issue.js";
import { locateCheckpoint, type Checkpoint, type ImportSheet } from "./locate-checkpoint.js";
import { mapColumns, type ColumnMap } from "./map-columns.js";
import { readRows, type ParsedRow } from "./read-rows.js";

/** What the file says, before the directory is consulted. */
export interface SheetAnalysis {
  readonly sheet: string | null;
  /** e.g. "D5", or null when no sheet has a checkpoint. */
  readonly checkpoint: string | null;
  readonly map: ColumnMap | undefined;
  readonly rows: readonly ParsedRow[];
  readonly dataRows: number;
  readonly issues: ImportIssue[];
}

/**
 * grid -> checkpoint -> column map -> parsed rows. A header mistake stops before the rows: with the columns
 * unclear, cell errors would only mislead.
 */
export function analyzeSheets(
  sheets: readonly ImportSheet[],
  onProgress?: (rowsRead: number) => void,
): SheetAnalysis {
  const located = locateCheckpoint(sheets);
  if (!located.found) {
    return { sheet: null, checkpoint: null, map: undefined, rows: [], dataRows: 0, issues: located.issues };
  }
  const checkpoint: Checkpoint = located.checkpoint;
  const { map, issues } = mapColumns(checkpoint.sheet, checkpoint);
  const base = { sheet: checkpoint.sheet.name, checkpoint: checkpoint.cell, map };
  if (hasErrors(issues)) return { ...base, rows: [], dataRows: 0, issues };
  const read = readRows(checkpoint.sheet, map, onProgress);
  return { ...base, rows: read.rows, dataRows: read.dataRows, issues: [...issues, ...read.issues] };
}
