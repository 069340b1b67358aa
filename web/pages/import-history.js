// Import history: the account's imports, newest first, 20 to a page; it follows a running import.
import { call, enc } from "../api.js";
import { el, fill } from "../dom.js";
import { announce, errorText } from "../ui.js";
import { plural, when } from "../components/format.js";
import { pageCount, pager } from "../components/pager.js";
import { poll } from "../components/poll.js";
import { importedText, isRunning, resultText } from "./import-views.js";
/** @import { Meta } from "../api-types.js" */

export const HISTORY_PER_PAGE = 20;
export const POLL_MS = 1000;

/**
 * @param {Meta} meta
 * @returns {{ section: HTMLElement, load: () => Promise<boolean> }} load draws the page shown and tells
 *   whether an import on it still runs
 */
export function historySection(meta) {
  const section = el(
    "section",
    { class: "card", "aria-labelledby": "history-title" },
    el("h2", { id: "history-title" }, "Import history"),
  );
  const body = el("div");
  section.append(body);
  let page = 1;
  let polling = false;
  const load = async () => {
    const data = await call("GET /imports", { query: { page, pageSize: HISTORY_PER_PAGE } });
    fill(
      body,
      data.items.length
        ? el(
            "table",
            { class: "history" },
            el("caption", {}, `${plural(data.total, "import")}, newest first`),
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                ...["When", "Who", "File", "Note", "Options", "Result"].map((h) =>
                  el("th", { scope: "col" }, h),
                ),
              ),
            ),
            el(
              "tbody",
              {},
              ...data.items.map((item) =>
                el(
                  "tr",
                  {},
                  el("td", {}, when(item.at)),
                  el("td", {}, item.by),
                  el("td", {}, el("a", { href: `#/imports/${enc(item.importId)}` }, item.file)),
                  el("td", {}, item.note ?? ""),
                  el("td", {}, importedText(item)),
                  el("td", {}, resultText(meta, item)),
                ),
              ),
            ),
          )
        : el("p", {}, "No imports yet."),
      pager({
        label: "History pages",
        page,
        pages: pageCount(data.total, HISTORY_PER_PAGE),
        go: (next) => {
          page = next;
          void load();
        },
      }),
    );
    // While an import runs, the history follows it to its end.
    const busy = data.items.some((item) => isRunning(meta, item.state));
    if (busy && !polling) {
      polling = true;
      void poll({ node: section, tick: async () => ((await load()) ? undefined : true) })
        .result.catch((/** @type {unknown} */ error) => announce(errorText(error)))
        .finally(() => {
          polling = false;
        });
    }
    return busy;
  };
  return { section, load };
}
