// One import: its options, note, state, Spreadsheet Information, errors and the error report.
import { call } from "../api.js";
import { el } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { facts } from "../components/facts.js";
import { when } from "../components/format.js";
import { POLL_MS } from "./import-history.js";
import { syncOffer } from "./directory-sync.js";
import { waitForImport } from "./imports.js";
import {
  isRunning,
  issuesView,
  optionsText,
  resultText,
  runningText,
  savedView,
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
  /** @type {import("../components/import-banner.js").RateMemory} */
  const memory = new Map();
  const status = el("p", { role: "status" }, running ? runningText(meta, view, memory) : "");
  const content = el(
    "div",
    {},
    el("p", {}, el("a", { href: "#/imports" }, "Back to Imports")),
    // Directory users this save made imported: the documented next step is Sync All, offered here.
    syncOffer(page.me, view),
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
    // Saved: what it did, in the past tense. Running: the progress above, not a summary of zeros.
    view.state === "saved" ? savedView(view) : null,
    el(
      "section",
      { class: "card", "aria-labelledby": "info-title" },
      el("h2", { id: "info-title" }, "Spreadsheet Information"),
      running || view.state === "saved" ? null : summaryFacts(view),
      // Here the report is offered for warnings alone too: it is the one place that lists them all.
      issuesView(view, { reportWarnings: true }),
    ),
  );
  page.show(`Import of ${view.file}`, content);
  // The page follows a running import in the background, and shows it again once it has ended.
  if (running) void followImport(page, id, meta, content, status, memory);
}

/**
 * @param {Page} page
 * @param {string} id
 * @param {import("../api-types.js").Meta} meta
 * @param {HTMLElement} content
 * @param {HTMLElement} status
 * @param {import("../components/import-banner.js").RateMemory} memory
 */
async function followImport(page, id, meta, content, status, memory) {
  try {
    const ended = await waitForImport(
      meta,
      content,
      id,
      (now) => {
        status.textContent = runningText(meta, now, memory);
      },
      POLL_MS,
    );
    if (!ended) return;
    await renderImport(page, id);
    announce(`Import ${ended.state}.`);
  } catch (error) {
    announce(errorText(error));
  }
}
