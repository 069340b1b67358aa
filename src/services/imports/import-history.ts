import type { ImportSummary } from "../../import/plan-import.js";
import { listImportRowsPage, type ImportListRow } from "../../store/imports-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import {
  parseImportOptions,
  parseImportSummary,
  type ImportMode,
  type ImportState,
  type ImportView,
} from "./import-states.js";

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

function mapListItem(row: ImportListRow): ImportListItem {
  // The counts are columns (migration 0008): a page reads none of its imports' lists of issues.
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
    summary: parseImportSummary(row),
    ok: row.error_count === 0,
    saved: row.state === "saved",
    errorCount: row.error_count,
    warningCount: row.warning_count,
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
