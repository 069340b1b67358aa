import { neutralizeFormula } from "../sheet/formula-guard.js";
import { MAX_LISTED_ERRORS, MAX_LISTED_WARNINGS } from "./issue-list.js";

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

/** What an import counted beyond its lists (every issue by code); absent for a record that lists them all. */
export interface ReportedCounts {
  readonly errorCount: number;
  readonly warningCount: number;
  readonly errorCounts: Readonly<Record<string, number>>;
  readonly warningCounts: Readonly<Record<string, number>>;
}

/**
 * One row after the listed issues of a severity when some were left out: "… and N more errors (by code:
 * a 3, b 2)". The count by code is what the list leaves out of each code.
 */
function moreRow(
  listed: readonly ReportedIssue[],
  total: number,
  byCode: Readonly<Record<string, number>>,
  noun: string,
  severity: string,
): ReportRow | undefined {
  const more = total - listed.length;
  if (more <= 0) return undefined;
  const left = new Map(Object.entries(byCode));
  for (const issue of listed) left.set(issue.code, (left.get(issue.code) ?? 0) - 1);
  const codes = [...left]
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  const message = `… and ${more} more ${noun}${codes === "" ? "" : ` (by code: ${codes})`}`;
  return ["", null, "", "", neutralizeFormula(message), severity];
}

function countByCode(issues: readonly ReportedIssue[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const issue of issues) counts[issue.code] = (counts[issue.code] ?? 0) + 1;
  return counts;
}

/**
 * The error report of an import: its errors, then its warnings (marked in Severity), one row each, at most
 * 1,000 errors and 100 warnings (an .xls sheet holds 65,536 rows, and a report is read by a person); when
 * there are more, a last row per severity says how many more, by code. Every text cell is neutralised:
 * messages quote what the uploader typed, which must never run as a formula.
 */
export function buildErrorReport(
  errors: readonly ReportedIssue[],
  warnings: readonly ReportedIssue[],
  counts?: ReportedCounts,
): ReportRow[] {
  const row = (issue: ReportedIssue, severity: string): ReportRow => [
    neutralizeFormula(issue.cell ?? ""),
    issue.row,
    neutralizeFormula(issue.column ?? ""),
    neutralizeFormula(issue.code),
    neutralizeFormula(issue.message),
    severity,
  ];
  // A record older than the counts may list 65,535 errors: they are counted here instead.
  const listedErrors = errors.slice(0, MAX_LISTED_ERRORS);
  const listedWarnings = warnings.slice(0, MAX_LISTED_WARNINGS);
  const errorTotal = Math.max(counts?.errorCount ?? 0, errors.length);
  const warningTotal = Math.max(counts?.warningCount ?? 0, warnings.length);
  const errorCodes = counts && counts.errorCount >= errors.length ? counts.errorCounts : countByCode(errors);
  const warningCodes =
    counts && counts.warningCount >= warnings.length ? counts.warningCounts : countByCode(warnings);
  const rows: ReportRow[] = [[...ERROR_REPORT_HEADERS]];
  for (const issue of listedErrors) rows.push(row(issue, "Error"));
  const moreErrors = moreRow(listedErrors, errorTotal, errorCodes, "errors", "Error");
  if (moreErrors) rows.push(moreErrors);
  for (const issue of listedWarnings) rows.push(row(issue, "Warning"));
  const moreWarnings = moreRow(listedWarnings, warningTotal, warningCodes, "warnings", "Warning");
  if (moreWarnings) rows.push(moreWarnings);
  return rows;
}
