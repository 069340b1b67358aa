import { neutralizeFormula } from "../sheet/formula-guard.js";

/** An issue as an import records it (the shape of the `errors` and `warnings` of the Spreadsheet Information). */
export interface ReportedIssue {
  readonly code: string;
  readonly cell: string | null;
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
}

export const ERROR_REPORT_HEADERS = ["Cell", "Row", "Column", "Code", "Message", "Severity"] as const;

export type ReportRow = readonly (string | number | null)[];

/**
 * The error report of an import: its errors, then its warnings (marked in Severity), one row each. Every
 * text cell is neutralised: messages quote what the uploader typed, which must never run as a formula.
 */
export function buildErrorReport(
  errors: readonly ReportedIssue[],
  warnings: readonly ReportedIssue[],
): ReportRow[] {
  const row = (issue: ReportedIssue, severity: string): ReportRow => [
    neutralizeFormula(issue.cell ?? ""),
    issue.row,
    neutralizeFormula(issue.column ?? ""),
    neutralizeFormula(issue.code),
    neutralizeFormula(issue.message),
    severity,
  ];
  return [
    [...ERROR_REPORT_HEADERS],
    ...errors.map((issue) => row(issue, "Error")),
    ...warnings.map((issue) => row(issue, "Warning")),
  ];
}
