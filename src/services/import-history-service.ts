import type { ImportSummary } from "../import/plan-import.js";
import { listImportRowsPage, type ImportRow } from "../store/imports-repository.js";
import { resolveAccountWithinReach } from "./account-lookup.js";
import { authorize, type ServiceContext } from "./context.js";
import {
  EMPTY_SUMMARY,
  parseImportOptions,
  parseIssueTally,
  type ImportMode,
  type ImportState,
  type ImportView,
} from "./imports-service.js";

/** One line of the import history: the import without its lists of issues, which only the detail shows. */
export interface ImportListItem {
  importId: string;
  state: ImportState;
  mode: ImportMode;
  file: string;
  sheet: string | null;
  by: string;
  at: string;
  updatedAt: string;
  note: string | null;
  options: ImportView["options"];
  summary: ImportSummary;
  ok: boolean;
  saved: boolean;
  errorCount: number;
  warningCount: number;
}

/**
 * Issues are stored as JSON.stringify of { code, ... } objects, so each starts with `{"code":` and a quote
 * inside a message is escaped: counting that marker counts the issues without parsing a list that may hold
 * 65,535 of them, for every line of a page.
 */
function countIssues(json: string): number {
  let count = 0;
  for (let at = json.indexOf('{"code":'); at >= 0; at = json.indexOf('{"code":', at + 1)) count++;
  return count;
}

function mapListItem(row: ImportRow): ImportListItem {
  // The stored counts cover the issues the lists leave out; a record without them lists every issue.
  const tally = parseIssueTally(row);
  const listedErrors = countIssues(row.errors_json);
  const listedWarnings = countIssues(row.warnings_json);
  const errorCount = Math.max(tally?.errorCount ?? 0, listedErrors);
  const { options, mode } = parseImportOptions(row);
  return {
    importId: row.id,
    state: row.state as ImportState,
    mode,
    file: row.file_name,
    sheet: row.sheet,
    by: row.actor,
    at: row.created_at,
    updatedAt: row.updated_at,
    note: row.note,
    options,
    summary: row.summary_json === null ? EMPTY_SUMMARY : (JSON.parse(row.summary_json) as ImportSummary),
    ok: errorCount === 0,
    saved: row.state === "saved",
    errorCount,
    warningCount: Math.max(tally?.warningCount ?? 0, listedWarnings),
  };
}

/** The import history of an account, newest first, one page at a time; needs `import_users` there. */
export async function listImportHistory(
  context: ServiceContext,
  request: { account?: string | undefined; page: number; pageSize: number },
): Promise<{ items: ImportListItem[]; total: number; page: number; pageSize: number }> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "import_users");
  const { rows, total } = await listImportRowsPage(context.db, account.id, {
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  return { items: rows.map(mapListItem), total, page: request.page, pageSize: request.pageSize };
}
