// Previous / Next under a paged list.
import { el } from "../dom.js";

/**
 * How many pages `total` items fill, `perPage` to a page (one, when there are none).
 * @param {number} total
 * @param {number} perPage
 */
export const pageCount = (total, perPage) => Math.max(1, Math.ceil(total / perPage));

/**
 * @typedef {object} PagerOptions
 * @property {string} label the navigation's accessible name
 * @property {number} page the page shown, from 1
 * @property {number} pages
 * @property {(page: number) => void} go called with the page to show
 * @property {string} [suffix] after "Page 2 of 5", e.g. " (120 users)"
 * @property {boolean} [always] shown on a single page too (else nothing when the list fits one page)
 */

/**
 * @param {PagerOptions} options
 * @returns {HTMLElement | null}
 */
export function pager({ label, page, pages, go, suffix = "", always = false }) {
  if (pages <= 1 && !always) return null;
  return el(
    "nav",
    { class: "pager", "aria-label": label },
    el("button", { type: "button", disabled: page <= 1, onclick: () => go(page - 1) }, "Previous"),
    ` Page ${page} of ${pages}${suffix} `,
    el("button", { type: "button", disabled: page >= pages, onclick: () => go(page + 1) }, "Next"),
  );
}
