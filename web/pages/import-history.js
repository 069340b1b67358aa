// Import history: the account's imports, newest first, 20 to a page; it follows a running import.
import { call, enc } from "../api.js";
import { el } from "../dom.js";
import { when } from "../components/format.js";
import { pagedHistory } from "../components/paged-history.js";
import { importedText, isRunning, resultText } from "./import-views.js";
/** @import { Meta } from "../api-types.js" */

export const HISTORY_PER_PAGE = 20;
export const POLL_MS = 1000;

/**
 * @param {Meta} meta
 * @returns {{ section: HTMLElement, load: () => Promise<boolean> }} load draws the page shown and tells
 *   whether an import on it still runs (the history then follows it to its end)
 */
export function historySection(meta) {
  return pagedHistory({
    id: "history-title",
    title: "Import history",
    noun: "import",
    empty: "No imports yet.",
    pagerLabel: "History pages",
    pageSize: HISTORY_PER_PAGE,
    headers: ["When", "Who", "File", "Note", "Options", "Result"],
    fetchPage: (page, pageSize) => call("GET /imports", { query: { page, pageSize } }),
    cells: (item) => [
      when(item.at),
      item.by,
      el("a", { href: `#/imports/${enc(item.importId)}` }, item.file),
      item.note ?? "",
      importedText(item),
      resultText(meta, item),
    ],
    running: (item) => isRunning(meta, item.state),
  });
}
