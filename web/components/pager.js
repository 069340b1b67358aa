// Pagers under a paged list: page numbers (pager) or keyset cursors (keysetPager, keysetPagerFor a reply).
import { el } from "../dom.js";
import { formatNumber } from "./format.js";

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

/**
 * @typedef {object} KeysetPagerOptions
 * @property {string} label the navigation's accessible name
 * @property {string | null} nextCursor from the list's reply (null on the last page)
 * @property {string | null} prevCursor from the list's reply (null on the first page)
 * @property {number} shown how many items this page holds
 * @property {number} first the position of the page's first item in the list, from 1 (the pager's caller counts)
 * @property {number} total from the reply: counted up to the server's cap
 * @property {boolean} totalCapped the list is longer than `total`
 * @property {number} pageSize
 * @property {readonly number[]} [sizes] the page sizes offered (none: no chooser)
 * @property {(move: { cursor: string | null, first: number, pageSize: number }) => void} go
 *   called with the cursor to load (null: the first page), where that page starts and its size
 * @property {string} [noun] what the list holds, plural ("users")
 */

/**
 * First / Previous / Next under a keyset-paged list, "1-50 of about 65,539 users", and a page size chooser.
 * A keyset list has no page numbers: the server hands over cursors to the pages either side.
 * @param {KeysetPagerOptions} options
 * @returns {HTMLElement}
 */
export function keysetPager(options) {
  const { label, nextCursor, prevCursor, shown, first, total, totalCapped, pageSize, go } = options;
  const noun = options.noun ?? "items";
  const last = first + shown - 1;
  // The count stops at the server's cap: past it, say so rather than pretend to know.
  const of = `${totalCapped ? "more than " : ""}${formatNumber(total)} ${noun}`;
  const range = shown === 0 ? `0 of ${of}` : `${formatNumber(first)}-${formatNumber(last)} of ${of}`;
  const button = (
    /** @type {string} */ text,
    /** @type {boolean} */ disabled,
    /** @type {() => void} */ onclick,
  ) => el("button", { type: "button", disabled, onclick }, text);
  const sizes = options.sizes ?? [];
  const chooser =
    sizes.length === 0
      ? null
      : el(
          "label",
          { class: "page-size" },
          "Per page ",
          el(
            "select",
            {
              onchange: (/** @type {Event} */ event) =>
                go({
                  cursor: null,
                  first: 1,
                  pageSize: Number(/** @type {HTMLSelectElement} */ (event.target).value),
                }),
            },
            ...sizes.map((size) =>
              el("option", { value: String(size), selected: size === pageSize }, String(size)),
            ),
          ),
        );
  return el(
    "nav",
    { class: "pager", "aria-label": label },
    button("First", prevCursor === null, () => go({ cursor: null, first: 1, pageSize })),
    button("Previous", prevCursor === null, () =>
      go({ cursor: prevCursor, first: Math.max(1, first - pageSize), pageSize }),
    ),
    el("span", { class: "pager-range", "aria-live": "polite" }, ` ${range} `),
    button("Next", nextCursor === null, () => go({ cursor: nextCursor, first: first + shown, pageSize })),
    ...(chooser ? [chooser] : []),
  );
}

/**
 * @typedef {object} KeysetPage what a keyset-paged list's reply says about where it is
 * @property {string | null} nextCursor
 * @property {string | null} prevCursor
 * @property {number} total
 * @property {boolean} totalCapped
 */

/**
 * The keyset pager under one page of a list reply: the cursors and the count come from the reply, and a page
 * with no page before it starts at 1 whatever the caller counted (a list that shrank meanwhile).
 * @param {KeysetPage} reply
 * @param {Omit<KeysetPagerOptions, keyof KeysetPage>} options
 * @returns {HTMLElement}
 */
export function keysetPagerFor(reply, options) {
  const { nextCursor, prevCursor, total, totalCapped } = reply;
  return keysetPager({
    ...options,
    nextCursor,
    prevCursor,
    total,
    totalCapped,
    first: prevCursor === null ? 1 : options.first,
  });
}
