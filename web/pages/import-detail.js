// One import: its options, note, state, Spreadsheet Information, errors and the error report.
import { call } from "../api.js";
import { el } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { facts } from "../components/facts.js";
import { when } from "../components/format.js";
import { errorTable, issueList } from "../components/issue-table.js";
import { poll } from "../components/poll.js";
import { POLL_MS } from "./import-history.js";
import {
  isRunning,
  optionsText,
  progressText,
  reportLinks,
  resultText,
  summaryFacts,
} from "./import-views.js";
/** @typedef {import("../app.js").Page} Page */

/**
 * @param {Page} page
 * @param {string} id
 */
export async function renderImport(page, id) {
  const [meta, view] = await Promise.all([serverFacts(), call("GET /imports/{id}", { params: { id } })]);
  const running = isRunning(meta, view.state);
  const status = el("p", { role: "status" }, running ? progressText(meta, view.progress) : "");
  const content = el(
    "div",
    {},
    el("p", {}, el("a", { href: "#/imports" }, "Back to Imports")),
    el(
      "section",
      { class: "card", "aria-labelledby": "about" },
      el("h2", { id: "about" }, "Import"),
      facts([
        ["Result", resultText(meta, view)],
        ["When", when(view.at)],
        ["Who", view.by],
        ["Options", optionsText(view.options)],
        ["Note", view.note ?? "None"],
        ["SHA-256", view.sha256],
      ]),
      status,
    ),
    el(
      "section",
      { class: "card", "aria-labelledby": "info-title" },
      el("h2", { id: "info-title" }, "Spreadsheet Information"),
      summaryFacts(view),
      issueList("Warnings", view.warnings, view.warningCount),
      errorTable(view),
      (view.errors.length || view.warnings.length) && view.importId ? reportLinks(view.importId) : null,
    ),
  );
  page.show(`Import of ${view.file}`, content);
  // The page follows a running import in the background, and shows it again once it has ended.
  if (running) void followImport(page, id, meta, content, status);
}

/**
 * @param {Page} page
 * @param {string} id
 * @param {import("../api-types.js").Meta} meta
 * @param {HTMLElement} content
 * @param {HTMLElement} status
 */
async function followImport(page, id, meta, content, status) {
  try {
    const ended = await poll({
      node: content,
      firstMs: POLL_MS,
      tick: async () => {
        const now = await call("GET /imports/{id}", { params: { id } });
        if (!isRunning(meta, now.state)) return now;
        status.textContent = progressText(meta, now.progress);
        return undefined;
      },
    }).result;
    if (!ended) return;
    await renderImport(page, id);
    announce(`Import ${ended.state}.`);
  } catch (error) {
    announce(errorText(error));
  }
}
