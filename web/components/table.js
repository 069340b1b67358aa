// The console's tables: one renderer, so every list has a caption, an empty state, and cells labelled by
// their column (data-label), which styles.css shows as cards on narrow screens.
import { el } from "../dom.js";
/** @import { Child } from "../dom.js" */

/**
 * @typedef {object} TableOptions
 * @property {string} caption
 * @property {readonly string[]} headers
 * @property {readonly (readonly (Child | Child[])[])[]} rows one array of cell contents per row
 * @property {string} empty what to say when there are no rows (an empty state, never a bare header)
 * @property {string} [className]
 */

/**
 * @param {TableOptions} options
 * @returns {HTMLTableElement | HTMLParagraphElement}
 */
export function dataTable({ caption, headers, rows, empty, className }) {
  if (!rows.length) return el("p", { class: "empty" }, empty);
  return el(
    "table",
    { class: className ? `cards ${className}` : "cards" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col" }, h)))),
    el(
      "tbody",
      {},
      ...rows.map((cells) =>
        el("tr", {}, ...cells.map((cell, i) => el("td", { "data-label": headers[i] ?? "" }, cell))),
      ),
    ),
  );
}

/**
 * Labels the cells of tables built elsewhere by their column's header, so they turn into cards on narrow
 * screens too; a table without a header row is left as it is. Returns how many cells it labelled.
 * @param {ParentNode} root
 */
export function labelCells(root) {
  let labelled = 0;
  for (const table of root.querySelectorAll("table")) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent?.trim() ?? "");
    if (!headers.length) continue;
    table.classList.add("cards");
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (cell.hasAttribute("data-label")) return;
        cell.setAttribute("data-label", headers[i] ?? "");
        labelled++;
      });
    }
  }
  return labelled;
}
