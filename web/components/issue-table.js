// The issues of an import: errors as a filtered, paged table (Cell, Row, Column, Code, Message), warnings
// as a list. The server lists only the first issues and counts them all; both say so when it left some out.
import { el, field, fill } from "../dom.js";
import { countsText, formatNumber, plural } from "./format.js";
import { pageCount, pager } from "./pager.js";
import { addDomainDialog } from "./domain-form.js";
/** @import { ImportIssue } from "../api-types.js" */

export const ERRORS_PER_PAGE = 50;

/**
 * @typedef {object} ErrorsOf
 * @property {ImportIssue[]} errors the first errors, as listed by the server
 * @property {number} errorCount every error found, listed or not
 * @property {Record<string, number>} errorCounts every error found, by code
 */

/**
 * @param {ImportIssue} issue
 * @param {string} q lower-case text
 */
const matches = (issue, q) =>
  [issue.cell, issue.row, issue.column, issue.code, issue.message].some((v) =>
    String(v ?? "")
      .toLowerCase()
      .includes(q),
  );

/** The issue codes the console can fix on the spot, and how. */
const FIXES = {
  domain_not_internal: { label: "Add domain", open: addDomainDialog },
};

/**
 * A button beside an issue that has a fix in the console (a missing internal domain: Add domain, in a dialog
 * over the preview); null for the others.
 * @param {ImportIssue} issue
 * @returns {HTMLButtonElement | null}
 */
export function fixFor(issue) {
  const fix = FIXES[/** @type {keyof typeof FIXES} */ (issue.code)];
  if (!fix) return null;
  const button = el("button", { type: "button", class: "link fix" }, fix.label);
  button.addEventListener("click", () => void fix.open(button));
  return button;
}

/**
 * @param {ErrorsOf} info
 * @param {number} [perPage]
 * @returns {HTMLDivElement}
 */
export function errorTable(info, perPage = ERRORS_PER_PAGE) {
  const { errors } = info;
  const section = el("div", { class: "errors" });
  if (!errors.length) {
    section.append(el("p", {}, "No errors."));
    return section;
  }
  const total = Math.max(info.errorCount, errors.length);
  if (total > errors.length) {
    section.append(
      el(
        "p",
        { class: "truncated" },
        `The first ${formatNumber(errors.length)} of ${plural(total, "error")} are listed. By code: ${countsText(info.errorCounts)}.`,
      ),
    );
  }
  section.append(errorGroups(info));
  const filter = field("Filter errors", { type: "search", placeholder: "cell, code or text" });
  const body = el("div");
  let page = 1;
  const draw = () => {
    const q = filter.input.value.trim().toLowerCase();
    const shown = q ? errors.filter((e) => matches(e, q)) : errors;
    const pages = pageCount(shown.length, perPage);
    page = Math.min(page, pages);
    const slice = shown.slice((page - 1) * perPage, page * perPage);
    const caption = `Errors (${formatNumber(shown.length)}${q ? ` of ${formatNumber(errors.length)}` : ""}${total > errors.length ? ` listed, of ${formatNumber(total)}` : ""})`;
    fill(
      body,
      el(
        "table",
        { class: "issues" },
        el("caption", {}, caption),
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ...["Cell", "Row", "Column", "Code", "Message"].map((h) => el("th", { scope: "col" }, h)),
          ),
        ),
        el(
          "tbody",
          {},
          ...slice.map((e) =>
            el(
              "tr",
              {},
              el("td", {}, e.cell ?? "-"),
              el("td", {}, e.row ?? "-"),
              el("td", {}, e.column ?? "-"),
              el("td", {}, el("code", {}, e.code), fixFor(e)),
              el("td", {}, e.message),
            ),
          ),
        ),
      ),
      pager({
        label: "Error pages",
        page,
        pages,
        go: (next) => {
          page = next;
          draw();
        },
      }),
    );
  };
  filter.input.addEventListener("input", () => {
    page = 1;
    draw();
  });
  draw();
  section.append(filter.wrapper, body);
  return section;
}

/** How many cells a group of identical errors names. */
export const GROUP_CELLS = 5;

/**
 * Identical errors grouped, most frequent first: the first message of each code (the code after it, small),
 * how many there are in all (counted by the server, listed or not), the first cells, and the fix when the
 * console has one.
 * @param {ErrorsOf} info
 * @returns {HTMLDivElement}
 */
export function errorGroups(info) {
  /** @type {Map<string, ImportIssue[]>} */
  const byCode = new Map();
  for (const e of info.errors) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e].slice(0, GROUP_CELLS));
  const count = (/** @type {string} */ code) =>
    Math.max(info.errorCounts[code] ?? 0, info.errors.filter((e) => e.code === code).length);
  // Codes the server counted but listed none of (it lists the first errors only) are groups too.
  const codes = [...new Set([...byCode.keys(), ...Object.keys(info.errorCounts)])].sort(
    (a, b) => count(b) - count(a) || a.localeCompare(b),
  );
  const list = el(
    "ul",
    { class: "error-groups", "aria-label": "Errors by kind" },
    ...codes.map((code) => {
      const first = byCode.get(code) ?? [];
      const cells = first.map((e) => e.cell ?? (e.row === null ? "" : `row ${e.row}`)).filter(Boolean);
      const issue = first[0];
      return el(
        "li",
        { "data-code": code },
        el("strong", {}, plural(count(code), "error")),
        ": ",
        el(
          "span",
          { class: "message-text" },
          issue?.message ?? "None of these is among the listed errors: fix those, then preview again.",
        ),
        " ",
        el("small", { class: "code" }, code),
        cells.length ? el("span", { class: "cells" }, ` First at ${cells.join(", ")}.`) : null,
        issue ? fixFor(issue) : null,
      );
    }),
  );
  return el("div", {}, el("h3", {}, "Errors by kind"), list);
}

/**
 * Issues as a list ("D3: message [code]"), under a heading that counts them; nothing when there are none.
 * @param {string} title
 * @param {ImportIssue[]} issues
 * @param {number} [total] every issue found, listed or not
 * @returns {HTMLDivElement | null}
 */
export function issueList(title, issues, total = issues.length) {
  if (!issues.length) return null;
  const count =
    total > issues.length
      ? `the first ${formatNumber(issues.length)} of ${formatNumber(total)}`
      : formatNumber(total);
  return el(
    "div",
    {},
    el("h3", {}, `${title} (${count})`),
    el(
      "ul",
      { class: "warnings" },
      ...issues.map((w) =>
        el(
          "li",
          {},
          el("span", { class: "message-text" }, w.cell ? `${w.cell}: ${w.message}` : w.message),
          el("small", { class: "code" }, w.code),
          addressList(w),
        ),
      ),
    ),
  );
}

/**
 * The users a warning names (the server lists the first 50 and counts the rest), folded away: the message
 * already names the first few.
 * @param {ImportIssue} issue
 * @returns {HTMLDetailsElement | null}
 */
export function addressList(issue) {
  const addresses = issue.addresses ?? [];
  if (!addresses.length) return null;
  const more = issue.moreAddresses ?? 0;
  const total = formatNumber(addresses.length + more);
  const summary =
    more > 0
      ? `Show the first ${formatNumber(addresses.length)} of ${total} addresses`
      : `Show the ${addresses.length === 1 ? "address" : `${total} addresses`}`;
  return el(
    "details",
    { class: "addresses" },
    el("summary", {}, summary),
    el("ul", {}, ...addresses.map((address) => el("li", {}, address))),
    more > 0 ? el("p", {}, `… and ${formatNumber(more)} more.`) : null,
  );
}
