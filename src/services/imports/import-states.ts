import { EMPTY_TALLY, type IssueList, type IssueTally } from "../../import/issue-list.js";
import type { ImportIssue } from "../../import/import-issue.js";
import type { DelegateSummary } from "../../import/delegates/plan-delegates.js";
import type { ImportSummary } from "../../import/plan-import.js";
import type { ImportRow } from "../../store/imports-repository.js";

export type ImportState = "uploaded" | "validated" | "saving" | "saved" | "failed";
export type GroupOverride = "add" | "overwrite";

/** What an import imports: users (the default), or delegate mailbox access (a sheet of pairs). */
export const IMPORT_KINDS = ["users", "delegates"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/**
 * The summary the import record and its views show, for either kind: the user import's counts, and for a
 * delegate import its own (add, remove) with the user counts at zero, so one shape serves both.
 */
export type ImportViewSummary = ImportSummary & Partial<Pick<DelegateSummary, "add" | "remove">>;

/** Whether the administrator asked for Preview Changes or Save; null for a record older than the field. */
export type ImportMode = "preview" | "save" | null;

/** An issue as the CLI and API report it. */
export interface IssueView {
  code: string;
  cell: string | null;
  row: number | null;
  column: string | null;
  message: string;
  /** A warning about many users names them: the first 50, and how many more. */
  addresses?: string[];
  moreAddresses?: number;
}

/**
 * The Spreadsheet Information: the `--json` object of `mailroster import`. `errors` and `warnings` list
 * only the first issues (issue-list.ts: 1,000 errors, 100 warnings); the counts cover every one.
 */
export interface ImportOutcome<S = ImportSummary> extends IssueTally {
  ok: boolean;
  saved: boolean;
  importId: string | null;
  file: string;
  sheet: string | null;
  checkpoint: string | null;
  summary: S;
  errors: IssueView[];
  warnings: IssueView[];
}

export interface ImportView extends ImportOutcome<ImportViewSummary> {
  kind: ImportKind;
  state: ImportState;
  mode: ImportMode;
  sha256: string;
  by: string;
  at: string;
  updatedAt: string;
  options: { group: string | null; override: GroupOverride | null; uploadOnly: boolean };
  note: string | null;
  /** Someone asked to cancel it (running: stopping; failed: cancelled). */
  cancelRequested: boolean;
}

export const EMPTY_SUMMARY: ImportSummary = {
  rows: 0,
  create: 0,
  update: 0,
  unchanged: 0,
  aliasesAdded: 0,
  attributesCreated: [],
  groupAdded: 0,
  groupRemoved: 0,
  typeChanged: 0,
};

/** Where an import stands once read or planned: what its record and its outcome report. */
export interface ImportReport<S = ImportSummary> {
  readonly sheet: string | null;
  readonly checkpoint: string | null;
  readonly summary: S;
  readonly issues: IssueList;
}

function viewIssue(issue: ImportIssue): IssueView {
  const { code, cell, row, column, message, addresses, moreAddresses } = issue;
  return addresses === undefined
    ? { code, cell, row, column, message }
    : { code, cell, row, column, message, addresses: [...addresses], moreAddresses: moreAddresses ?? 0 };
}

function split(issues: IssueList): { errors: IssueView[]; warnings: IssueView[] } {
  const kept = issues.issues;
  return {
    errors: kept.filter((i) => i.severity === "error").map(viewIssue),
    warnings: kept.filter((i) => i.severity === "warning").map(viewIssue),
  };
}

/** The record's columns for a report: the first issues as JSON, every one counted. */
export function recordFieldsOf(
  report: ImportReport<unknown>,
): Pick<
  ImportRow,
  | "sheet"
  | "checkpoint"
  | "summary_json"
  | "errors_json"
  | "warnings_json"
  | "issue_counts_json"
  | "error_count"
  | "warning_count"
> {
  const { errors, warnings } = split(report.issues);
  const tally = report.issues.tally();
  return {
    sheet: report.sheet,
    checkpoint: report.checkpoint,
    summary_json: JSON.stringify(report.summary),
    errors_json: JSON.stringify(errors),
    warnings_json: JSON.stringify(warnings),
    issue_counts_json: JSON.stringify(tally),
    error_count: tally.errorCount,
    warning_count: tally.warningCount,
  };
}

/** What previewImport and saveImport answer for a report. */
export function outcomeOf<S>(
  run: { readonly id: string; readonly request: { readonly fileName: string } },
  report: ImportReport<S>,
  saved: boolean,
): ImportOutcome<S> {
  const { errors, warnings } = split(report.issues);
  return {
    ok: !report.issues.hasErrors(),
    saved,
    importId: run.id,
    file: run.request.fileName,
    sheet: report.sheet,
    checkpoint: report.checkpoint,
    summary: report.summary,
    errors,
    warnings,
    ...report.issues.tally(),
  };
}

/**
 * The stored options: the dialog's choices, and the mode from its column (a record from before migration
 * 0008 also holds the mode in the options' JSON, which is not one of them).
 */
export function parseImportOptions(row: Pick<ImportRow, "options_json" | "mode">): {
  options: ImportView["options"];
  mode: ImportMode;
} {
  const { group, override, uploadOnly } = JSON.parse(row.options_json) as ImportView["options"];
  return {
    options: { group, override, uploadOnly },
    mode: row.mode === "preview" || row.mode === "save" ? row.mode : null,
  };
}

/** The stored summary; a delegate import's own counts come with the user counts at zero. */
export function parseImportSummary(row: Pick<ImportRow, "summary_json" | "kind">): ImportViewSummary {
  const stored =
    row.summary_json === null ? {} : (JSON.parse(row.summary_json) as Partial<ImportViewSummary>);
  if (row.kind === "delegates") return { ...EMPTY_SUMMARY, add: 0, remove: 0, ...stored };
  return { ...EMPTY_SUMMARY, ...stored };
}

export function parseImportKind(row: Pick<ImportRow, "kind">): ImportKind {
  return row.kind === "delegates" ? "delegates" : "users";
}

/** The stored counts of every issue; null for a record without them (older, or still running). */
export function parseIssueTally(row: ImportRow): IssueTally | null {
  return row.issue_counts_json === null ? null : (JSON.parse(row.issue_counts_json) as IssueTally);
}

/** The counts of issues listed in full (a record older than the counts): each one counted by code. */
function tallyOf(errors: readonly IssueView[], warnings: readonly IssueView[]): IssueTally {
  const byCode = (issues: readonly IssueView[]): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const issue of issues) counts[issue.code] = (counts[issue.code] ?? 0) + 1;
    return counts;
  };
  if (errors.length === 0 && warnings.length === 0) return EMPTY_TALLY;
  return {
    errorCount: errors.length,
    warningCount: warnings.length,
    errorCounts: byCode(errors),
    warningCounts: byCode(warnings),
    truncated: false,
  };
}

/** An import record as `imports show` and the API's detail present it. */
export function mapImport(row: ImportRow): ImportView {
  const { options, mode } = parseImportOptions(row);
  const errors = JSON.parse(row.errors_json) as IssueView[];
  const warnings = JSON.parse(row.warnings_json) as IssueView[];
  const stored = parseIssueTally(row);
  // The recovery of an interrupted import appends its error to the list, not to the counts by code.
  const tally =
    stored !== null && stored.errorCount >= errors.length && stored.warningCount >= warnings.length
      ? stored
      : tallyOf(errors, warnings);
  return {
    ok: errors.length === 0,
    saved: row.state === "saved",
    importId: row.id,
    file: row.file_name,
    sheet: row.sheet,
    checkpoint: row.checkpoint,
    summary: parseImportSummary(row),
    errors,
    warnings,
    ...tally,
    kind: parseImportKind(row),
    state: row.state as ImportState,
    mode,
    sha256: row.sha256,
    by: row.actor,
    at: row.created_at,
    updatedAt: row.updated_at,
    options,
    note: row.note,
    cancelRequested: row.cancel_requested_at !== null,
  };
}
