import { columnName } from "../sheet/cell-ref.js";
import { excerpt, issueAt, type ImportIssue } from "./import-issue.js";

// The header mistakes every import sheet (users, delegates) reports alike: one code, one wording.

/** A header that stands a second time in the row; `first` is the column where it first stood. */
export function headerDuplicate(header: string, row: number, col: number, first: number): ImportIssue {
  return issueAt(
    "header_duplicate",
    row,
    col,
    `"${excerpt(header)}" repeats the header in ${columnName(first)}${row + 1}: keep one of them.`,
  );
}

/** A header that means a known one (`meant`) but is not written exactly so. */
export function headerNearMiss(header: string, row: number, col: number, meant: string): ImportIssue {
  return issueAt("header_near_miss", row, col, `"${excerpt(header)}" must be written "${meant}", exactly.`);
}
