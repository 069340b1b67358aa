// Users & Groups | Imports: the import dialog, the Spreadsheet Information of a preview, a save that runs
// on the server while this page polls it, and the import history.
import { upload, call } from "../api.js";
import { el, fill } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { plural } from "../components/format.js";
import { issueList, errorTable } from "../components/issue-table.js";
import { poll } from "../components/poll.js";
import { importForm } from "./import-form.js";
import { historySection, POLL_MS } from "./import-history.js";
import { isRunning, progressText, reportLinks, resultText, summaryFacts } from "./import-views.js";
/** @import { Import, Meta, SpreadsheetInformation } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

/** A small file's preview shows at once: the first look comes soon, then at the page's usual pace. */
const FIRST_LOOK_MS = 150;

/**
 * Polls an import while it runs, calling `onTick` with each view; resolves with the view once it has
 * ended, or undefined when `node` left the page first (the import goes on regardless).
 * @param {Meta} meta
 * @param {Node} node
 * @param {string} id
 * @param {(view: Import) => void} onTick
 * @param {number} [firstMs]
 */
export function waitForImport(meta, node, id, onTick, firstMs = FIRST_LOOK_MS) {
  return poll({
    node,
    firstMs,
    maxMs: POLL_MS,
    tick: async () => {
      const view = await call("GET /imports/{id}", { params: { id } });
      if (!isRunning(meta, view.state)) return view;
      onTick(view);
      return undefined;
    },
  }).result;
}

/** @param {Page} page */
export async function renderImports(page) {
  if (!page.me.permissions.includes("import_users")) {
    page.show("Imports", el("p", { class: "card" }, "Your roles do not include importing users."));
    return;
  }
  const meta = await serverFacts();
  const message = el("p", { class: "error", role: "alert" });
  const fields = importForm(meta.noteMaxLength, (error) => {
    message.textContent = errorText(error);
  });
  const preview = el("button", { type: "submit" }, "Preview Changes");
  const previewStatus = el("p", { class: "counter", role: "status" });
  const save = el("button", { type: "button", disabled: true }, "Save");
  const info = el("section", { class: "card", "aria-labelledby": "info-title", hidden: true });
  const progress = el("section", { class: "card", "aria-labelledby": "progress-title", hidden: true });
  const history = historySection(meta);

  // Save needs a clean preview of exactly what would be sent now.
  /** @type {string | undefined} */
  let cleanKey;
  const updateSave = () => {
    save.disabled = cleanKey === undefined || cleanKey !== fields.key();
  };
  fields.onChange(updateSave);

  /** @param {SpreadsheetInformation} outcome */
  const showInfo = (outcome) => {
    info.hidden = false;
    fill(
      info,
      el("h2", { id: "info-title" }, "Spreadsheet Information"),
      el(
        "p",
        { class: outcome.ok ? "ok" : "error" },
        outcome.ok
          ? "No errors: Save will make these changes."
          : `${plural(outcome.errorCount, "error")}: correct the file and preview again. Nothing was written.`,
      ),
      summaryFacts(outcome),
      issueList("Warnings", outcome.warnings, outcome.warningCount),
      errorTable(outcome),
      outcome.errors.length && outcome.importId ? reportLinks(outcome.importId) : null,
    );
  };

  /** @param {string} id */
  const follow = async (id) => {
    progress.hidden = false;
    const bar = el("progress", { id: "save-progress", max: 1, value: 0 });
    const text = el("p", { role: "status" }, "Saving…");
    fill(
      progress,
      el("h2", { id: "progress-title" }, "Saving"),
      el("label", { for: "save-progress" }, "Save progress"),
      bar,
      text,
      el("p", {}, "You can leave this page: the save goes on, and Import history shows how it ends."),
    );
    const view = await waitForImport(
      meta,
      progress,
      id,
      (running) => {
        if (running.progress && running.progress.total > 0) {
          bar.max = running.progress.total;
          bar.value = running.progress.done;
        }
        text.textContent = progressText(meta, running.progress);
      },
      POLL_MS,
    ).catch((/** @type {unknown} */ error) => {
      announce(errorText(error));
      return undefined;
    });
    if (!view) return;
    progress.hidden = true;
    showInfo(view);
    cleanKey = undefined;
    updateSave();
    const result = resultText(meta, view);
    announce(view.state === "saved" ? `Import saved. ${result}.` : `Import failed: ${result}.`);
    await history.load();
  };

  const form = el(
    "form",
    { class: "card import-form", "aria-labelledby": "import-title", novalidate: true },
    el("h2", { id: "import-title" }, "Import users from a spreadsheet"),
    ...fields.wrappers,
    message,
    el("div", { class: "actions" }, preview, " ", save),
    previewStatus,
    el(
      "p",
      {},
      el(
        "a",
        { href: "/api/v1/imports/template.xls", download: "" },
        "Download a blank import template (.xls)",
      ),
    ),
  );

  fields.fileInput.addEventListener("change", () => {
    cleanKey = undefined;
    info.hidden = true;
    updateSave();
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void runPreview();
  });
  const runPreview = async () => {
    message.textContent = "";
    const problem = fields.problem();
    if (problem) {
      message.textContent = problem;
      return;
    }
    const key = fields.key();
    preview.disabled = true;
    announce("Checking the spreadsheet…");
    try {
      // In the background, so a long preview shows how far it is.
      const sent = fields.upload();
      const started = await upload("POST /imports/preview/start", sent.fields, sent.file);
      const outcome = await waitForImport(meta, form, started.importId, (view) => {
        previewStatus.textContent = `Previewing… ${progressText(meta, view.progress)}`;
      });
      previewStatus.textContent = "";
      if (!outcome) return;
      cleanKey = outcome.ok ? key : undefined;
      showInfo(outcome);
      const first = outcome.errors[0];
      announce(
        outcome.ok || !first
          ? `Preview: no errors, ${outcome.summary.create} to create, ${outcome.summary.update} to update.`
          : `Preview: ${plural(outcome.errorCount, "error")}. The first is at ${first.cell ?? "no cell"}: ${first.code}.`,
      );
      await history.load();
    } catch (error) {
      message.textContent = errorText(error);
    } finally {
      preview.disabled = false;
      updateSave();
    }
  };

  save.addEventListener("click", () => {
    message.textContent = "";
    if (save.disabled) return;
    save.disabled = true;
    const sent = fields.upload();
    upload("POST /imports/save", sent.fields, sent.file)
      .then(async (started) => {
        announce("Save started.");
        await history.load();
        await follow(started.importId);
      })
      .catch((/** @type {unknown} */ error) => {
        message.textContent = errorText(error);
        updateSave();
      });
  });

  page.show("Imports", form, progress, info, history.section);
  fields.syncFields();
  await history.load();
}
