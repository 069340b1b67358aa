import {
  listImportRowsPage,
  pageImportRowsByKeyset,
  type ImportListRow,
} from "../../store/imports-repository.js";
import { readEitherPage, type EitherPageRequest, type KeysetPage } from "../keyset-cursor.js";
import type { Page } from "../users/page.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import {
  parseImportKind,
  parseImportOptions,
  parseImportSummary,
  type ImportMode,
  type ImportKind,
  type ImportState,
  type ImportView,
  type ImportViewSummary,
} from "./import-states.js";

/** One line of the import history: the import without its lists of issues, which only the detail shows. */
export interface ImportListItem {
  importId: string;
  /** users, or delegates (delegate mailbox access). */
  kind: ImportKind;
  state: ImportState;
  mode: ImportMode;
  file: string;
  sheet: string | null;
  by: string;
  at: string;
  updatedAt: string;
  note: string | null;
  /** Someone asked to cancel it (running: stopping; failed: cancelled). */
  cancelRequested: boolean;
  options: ImportView["options"];
  summary: ImportViewSummary;
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
    kind: parseImportKind(row),
    state: row.state as ImportState,
    mode,
    file: row.file_name,
    sheet: row.sheet,
    by: row.actor,
    at: row.created_at,
    updatedAt: row.updated_at,
    note: row.note,
    cancelRequested: row.cancel_requested_at !== null,
    options,
    summary: parseImportSummary(row),
    ok: row.error_count === 0,
    saved: row.state === "saved",
    errorCount: row.error_count,
    warningCount: row.warning_count,
  };
}

/**
 * The import history of an account, newest first, one page at a time; needs `import_users` there. With a
 * `cursor` or `limit`, a keyset page (nextCursor/prevCursor); otherwise the older page/pageSize.
 */
export async function listImportHistory(
  context: ServiceContext,
  request: EitherPageRequest & { account?: string | undefined },
): Promise<Page<ImportListItem> & KeysetPage<ImportListItem>> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "import_users");
  const page = await readEitherPage(request, {
    list: "imports",
    fetch: (keyset) => pageImportRowsByKeyset(context.db, account.id, keyset),
    position: (row) => [row.created_at, row.id],
    // An account's imports number in the hundreds: the count is exact.
    count: async () => {
      const { total } = await listImportRowsPage(context.db, account.id, { offset: 0, limit: 0 });
      return { total, totalCapped: false };
    },
    fetchOffset: (offset) => listImportRowsPage(context.db, account.id, offset),
  });
  return { ...page, items: page.items.map(mapListItem) };
}
