import type { ImportIssue } from "./import-issue.js";
import { IssueList, type IssueCounts } from "./issue-list.js";
import { locateCheckpoint, type Checkpoint, type ImportSheet } from "./locate-checkpoint.js";
import { mapColumns, type ColumnMap } from "./map-columns.js";
import { readRows, type ParsedRow } from "./read-rows.js";

/**
 * What an import sheet (users, delegates) says, before the directory is consulted. Plain data: it crosses a
 * structured clone from the sheet worker, so its size is bounded by the rows that parsed, never by the
 * issues (those are capped).
 */
export interface AnalyzedSheet<Row> {
  readonly sheet: string | null;
  /** e.g. "D5", or null when no sheet has a checkpoint. */
  readonly checkpoint: string | null;
  readonly rows: readonly Row[];
  readonly dataRows: number;
  /** The first issues of each severity, in order (see issue-list.ts); `hasErrors` holds on them. */
  readonly issues: readonly ImportIssue[];
  /** Every issue, listed or not, counted by code: `IssueList.from({ issues, counts })` restores the list. */
  readonly issueCounts: IssueCounts;
}

/** What a users sheet says. */
export interface SheetAnalysis extends AnalyzedSheet<ParsedRow> {
  /** Undefined when no checkpoint was found or the header row has errors: then no row was read. */
  readonly map: ColumnMap | undefined;
}

/** The issues part of an analysis, from the list that gathered them. */
export function withIssues(list: IssueList): Pick<AnalyzedSheet<never>, "issues" | "issueCounts"> {
  const data = list.toData();
  return { issues: data.issues, issueCounts: data.counts };
}

/**
 * grid -> checkpoint -> column map -> parsed rows. A header mistake stops before the rows: with the columns
 * unclear, cell errors would only mislead.
 */
export function analyzeSheets(
  sheets: readonly ImportSheet[],
  onProgress?: (rowsRead: number) => void,
): SheetAnalysis {
  const issues = new IssueList();
  const located = locateCheckpoint(sheets);
  if (!located.found) {
    issues.addAll(located.issues);
    return { sheet: null, checkpoint: null, map: undefined, rows: [], dataRows: 0, ...withIssues(issues) };
  }
  const checkpoint: Checkpoint = located.checkpoint;
  const mapped = mapColumns(checkpoint.sheet, checkpoint);
  const { map } = mapped;
  issues.addAll(mapped.issues);
  const base = { sheet: checkpoint.sheet.name, checkpoint: checkpoint.cell, map };
  // No map: the import stops here. Past the header, every row is read and checked, errors or not.
  if (issues.hasErrors()) return { ...base, map: undefined, rows: [], dataRows: 0, ...withIssues(issues) };
  const read = readRows(checkpoint.sheet, map, onProgress, issues);
  return { ...base, rows: read.rows, dataRows: read.dataRows, ...withIssues(issues) };
}
