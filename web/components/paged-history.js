// A history list (imports, Sync All runs): newest first, a page at a time, with a pager; while an entry on
// the page is still at work, it reloads itself until none is.
import { el, fill } from "../dom.js";
import { announce, errorText } from "../ui.js";
import { plural } from "./format.js";
import { pageCount, pager } from "./pager.js";
import { poll } from "./poll.js";
/** @import { Child } from "../dom.js" */

/**
 * @template T
 * @typedef {object} HistoryOptions
 * @property {string} id the heading's id, which names the section
 * @property {string} title the heading
 * @property {string} noun what one entry is called in the caption ("run", "import")
 * @property {string} empty what to say when there is none
 * @property {string} pagerLabel the pager's accessible name
 * @property {number} pageSize
 * @property {readonly string[]} headers
 * @property {(page: number, pageSize: number) => Promise<{ items: T[], total: number }>} fetchPage
 * @property {(item: T) => (Child | Child[])[]} cells one row's cells, in the headers' order
 * @property {(item: T) => boolean} running whether the entry is still at work (the list follows it)
 */

/**
 * @template T
 * @param {HistoryOptions<T>} options
 * @returns {{ section: HTMLElement, load: () => Promise<boolean> }} load draws the page shown and tells
 *   whether an entry on it is still at work
 */
export function pagedHistory(options) {
  const section = el(
    "section",
    { class: "card", "aria-labelledby": options.id },
    el("h2", { id: options.id }, options.title),
  );
  const body = el("div");
  section.append(body);
  let page = 1;
  let polling = false;
  /** @returns {Promise<boolean>} */
  const load = async () => {
    const data = await options.fetchPage(page, options.pageSize);
    fill(
      body,
      data.items.length
        ? el(
            "table",
            { class: "history" },
            el("caption", {}, `${plural(data.total, options.noun)}, newest first`),
            el("thead", {}, el("tr", {}, ...options.headers.map((h) => el("th", { scope: "col" }, h)))),
            el(
              "tbody",
              {},
              ...data.items.map((item) =>
                el("tr", {}, ...options.cells(item).map((cell) => el("td", {}, cell))),
              ),
            ),
          )
        : el("p", {}, options.empty),
      pager({
        label: options.pagerLabel,
        page,
        pages: pageCount(data.total, options.pageSize),
        go: (next) => {
          page = next;
          void load();
        },
      }),
    );
    const busy = data.items.some(options.running);
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
