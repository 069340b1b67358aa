// The issues of an import: errors as a filtered, paged table (Cell, Row, Column, Code, Message), warnings
// as a list. The server lists only the first issues and counts them all; both say so when it left some out.
import { el, field, fill } from "../dom.js";
import { countsText, formatNumber, plural } from "./format.js";
import { pageCount, pager } from "./pager.js";
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
              el("td", {}, el("code", {}, e.code)),
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
        el("li", {}, w.cell ? `${w.cell}: ${w.message} [${w.code}]` : `${w.message} [${w.code}]`),
      ),
    ),
  );
}
