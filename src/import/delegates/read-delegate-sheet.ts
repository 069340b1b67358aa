import type { Address } from "../../directory/address.js";
import {
  ACTION_HEADER,
  DELEGATE_CHECKPOINT,
  DELEGATE_HEADER,
  addressCellText,
  parseDelegateAction,
  type DelegateAction,
} from "../../directory/delegate-rules.js";
import { withIssues, type AnalyzedSheet } from "../analyze-sheet.js";
import { headerDuplicate, headerNearMiss } from "../header-issues.js";
import { excerpt, issueAt, issueNowhere, type ImportIssue } from "../import-issue.js";
import { IssueList } from "../issue-list.js";
import { locateCheckpoint, type Checkpoint, type ImportSheet } from "../locate-checkpoint.js";
import { invalidEmailIssue, parseCellAddress } from "../read-rows.js";

/** One delegate row as the file states it; addresses are resolved to users by the planner. */
export interface DelegateRow {
  /** 0-based sheet row. */
  readonly row: number;
  readonly primary: Address;
  readonly primaryCol: number;
  readonly delegate: Address;
  readonly delegateCol: number;
  readonly action: DelegateAction;
}

/** What a delegate sheet says, before the directory is consulted. */
export interface DelegateSheetAnalysis extends AnalyzedSheet<DelegateRow> {
  readonly kind: "delegates";
}

/** Where the delegate sheet's columns stand (0-based). */
export interface DelegateColumns {
  readonly headerRow: number;
  readonly primary: number;
  readonly delegate: number;
  readonly action: number | undefined;
  readonly lastCol: number;
}

const squash = (text: string): string => text.toLowerCase().replace(/[\s_-]+/g, "");
const KNOWN = [DELEGATE_CHECKPOINT, DELEGATE_HEADER, ACTION_HEADER];

/**
 * The header row from the checkpoint rightwards to the first empty header cell: `delegate` directly right
 * of `primary`, an optional `action`; a near miss of either or a repeat fails at its cell, any other header
 * is ignored with a warning (it never becomes anything).
 */
export function mapDelegateColumns(
  sheet: ImportSheet,
  checkpoint: Checkpoint,
): { columns: DelegateColumns; issues: ImportIssue[] } {
  const row = checkpoint.row;
  const text = (col: number): string => sheet.cell(row, col)?.text.trim() ?? "";
  let lastCol = checkpoint.col;
  while (text(lastCol + 1) !== "") lastCol++;
  const issues: ImportIssue[] = [];
  const delegateCol = checkpoint.col + 1;
  if (text(delegateCol) !== DELEGATE_HEADER) {
    const found = text(delegateCol) === "" ? "nothing" : `"${excerpt(text(delegateCol))}"`;
    issues.push(
      issueAt(
        "delegate_header_missing",
        row,
        delegateCol,
        `The header right of "${DELEGATE_CHECKPOINT}" must be "${DELEGATE_HEADER}" (found ${found}).`,
      ),
    );
  }
  let action: number | undefined;
  const seen = new Map<string, number>([[DELEGATE_CHECKPOINT, checkpoint.col]]);
  for (let col = delegateCol; col <= lastCol; col++) {
    const header = text(col);
    const meant = KNOWN.find((known) => squash(header) === known);
    const first = meant === undefined ? undefined : seen.get(meant);
    if (meant !== undefined && first !== undefined) {
      issues.push(headerDuplicate(header, row, col, first));
      continue;
    }
    if (meant !== undefined) seen.set(meant, col);
    if (col === delegateCol) continue;
    if (meant !== undefined && header !== meant) {
      issues.push(headerNearMiss(header, row, col, meant));
    } else if (meant === ACTION_HEADER) {
      action = col;
    } else if (meant === DELEGATE_HEADER) {
      issues.push(
        issueAt(
          "delegate_header_missing",
          row,
          col,
          `"${DELEGATE_HEADER}" must stand directly right of "${DELEGATE_CHECKPOINT}".`,
        ),
      );
    } else {
      issues.push(
        issueAt(
          "header_ignored",
          row,
          col,
          `"${excerpt(header)}" is not a delegate sheet header (primary, delegate, action): its column is ignored.`,
          "warning",
        ),
      );
    }
  }
  return {
    columns: { headerRow: row, primary: checkpoint.col, delegate: delegateCol, action, lastCol },
    issues,
  };
}

function parseAddressCell(
  raw: string,
  row: number,
  col: number,
  header: string,
  issues: ImportIssue[],
): Address | undefined {
  const text = addressCellText(raw);
  if (text === "") {
    issues.push(
      issueAt(
        "delegate_address_missing",
        row,
        col,
        `Row ${row + 1} holds data but no ${header} address: add it.`,
      ),
    );
    return undefined;
  }
  const address = parseCellAddress(text);
  if (!address) issues.push(invalidEmailIssue(text, row, col));
  return address;
}

/** Reads every row below the header; a row with an error is left out of `rows`, its issues kept. */
export function readDelegateRows(
  sheet: ImportSheet,
  columns: DelegateColumns,
  issues: IssueList,
  onProgress?: (rowsRead: number) => void,
): { rows: DelegateRow[]; dataRows: number } {
  const rows: DelegateRow[] = [];
  let dataRows = 0;
  for (const sheetRow of sheet.rows(columns.headerRow + 1)) {
    const r = sheetRow.row;
    const text = (col: number): string => sheetRow.text(col).trim();
    const inTable = (col: number): boolean => col >= columns.primary && col <= columns.lastCol;
    if (!sheetRow.cols.some((col) => inTable(col) && text(col) !== "")) continue;
    dataRows++;
    if (onProgress && dataRows % 4096 === 0) onProgress(dataRows);
    const rowIssues: ImportIssue[] = [];
    const primary = parseAddressCell(text(columns.primary), r, columns.primary, "primary", rowIssues);
    const delegate = parseAddressCell(text(columns.delegate), r, columns.delegate, "delegate", rowIssues);
    let action: DelegateAction | undefined = "add";
    if (columns.action !== undefined) {
      const actionText = text(columns.action);
      action = parseDelegateAction(actionText);
      if (action === undefined) {
        rowIssues.push(
          issueAt(
            "delegate_action_invalid",
            r,
            columns.action,
            `"${excerpt(actionText)}" is not an action: write add (or leave it empty) or remove.`,
          ),
        );
      }
    }
    if (primary && delegate && primary.key === delegate.key) {
      rowIssues.push(
        issueAt(
          "delegate_self",
          r,
          columns.delegate,
          `${excerpt(delegate.address)} cannot be their own delegate.`,
        ),
      );
    }
    issues.addAll(rowIssues);
    if (rowIssues.length > 0 || !primary || !delegate || !action) continue;
    rows.push({
      row: r,
      primary,
      primaryCol: columns.primary,
      delegate,
      delegateCol: columns.delegate,
      action,
    });
  }
  if (dataRows === 0) {
    issues.add(issueNowhere("import_no_rows", "The sheet holds no rows below the header.", "warning"));
  }
  onProgress?.(dataRows);
  return { rows, dataRows };
}

/** grid -> checkpoint `primary` -> columns -> rows; a header mistake stops before the rows. */
export function analyzeDelegateSheets(
  sheets: readonly ImportSheet[],
  onProgress?: (rowsRead: number) => void,
): DelegateSheetAnalysis {
  const issues = new IssueList();
  const done = (
    where: { sheet: string | null; checkpoint: string | null },
    rows: readonly DelegateRow[] = [],
    dataRows = 0,
  ): DelegateSheetAnalysis => ({ kind: "delegates", ...where, rows, dataRows, ...withIssues(issues) });
  const located = locateCheckpoint(sheets, DELEGATE_CHECKPOINT);
  if (!located.found) {
    issues.addAll(located.issues);
    return done({ sheet: null, checkpoint: null });
  }
  const { checkpoint } = located;
  const where = { sheet: checkpoint.sheet.name, checkpoint: checkpoint.cell };
  const mapped = mapDelegateColumns(checkpoint.sheet, checkpoint);
  issues.addAll(mapped.issues);
  if (issues.hasErrors()) return done(where);
  const read = readDelegateRows(checkpoint.sheet, mapped.columns, issues, onProgress);
  return done(where, read.rows, read.dataRows);
}
