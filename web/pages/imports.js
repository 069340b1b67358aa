// Users & Groups | Imports: the import dialog, the Spreadsheet Information of a preview, a save that runs
// on the server while this page polls it, and the import history.
import { upload, call } from "../api.js";
import { el, fill } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { plural } from "../components/format.js";
import { issueList } from "../components/issue-table.js";
import { poll } from "../components/poll.js";
import { importForm } from "./import-form.js";
import { historySection, POLL_MS } from "./import-history.js";
import {
  hasChanges,
  isRunning,
  issuesView,
  progressText,
  resultText,
  runningText,
  savedView,
  summaryFacts,
  cancelButton,
} from "./import-views.js";
import { IMPORTS_CHANGED_EVENT } from "../components/import-banner.js";
import { syncOffer } from "./directory-sync.js";
import { messageBox } from "../components/messages.js";
import { showRefusal } from "../components/refusal.js";
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
    showRefusal(page, "Imports", "importing users");
    return;
  }
  const meta = await serverFacts();
  // The sentence first, the code small after it; cleared on the next action.
  const message = messageBox();
  const fields = importForm(meta.noteMaxLength, (error) => {
    message.show(error);
  });
  const preview = el("button", { type: "submit" }, "Preview Changes");
  const previewStatus = el("p", { class: "counter", role: "status" });
  const previewCancel = el("span", {});
  const save = el("button", { type: "button", disabled: true }, "Save");
  const info = el("section", { class: "card", "aria-labelledby": "info-title", hidden: true });
  const progress = el("section", { class: "card", "aria-labelledby": "progress-title", hidden: true });
  const history = historySection(meta);

  // Save needs a clean preview of exactly what would be sent now.
  /** @type {string | undefined} */
  let cleanKey;
  /** The clean preview Save commits: its upload is kept on the server, so nothing is sent twice. */
  /** @type {string | undefined} */
  let cleanPreviewId;
  /** The attributes the clean preview creates: Save asks first. */
  /** @type {string[]} */
  let attributesCreated = [];
  const updateSave = () => {
    save.disabled = cleanKey === undefined || cleanKey !== fields.key();
  };
  fields.onChange(updateSave);

  /** @param {SpreadsheetInformation} outcome */
  const verdict = (outcome) =>
    outcome.errors[0]?.code === "import_cancelled"
      ? "Cancelled: nothing was written."
      : !outcome.ok
        ? `${plural(outcome.errorCount, "error")}: correct the file and preview again (the results file marks each row). Nothing was written.`
        : hasChanges(outcome)
          ? "No errors: Save will make these changes."
          : "No errors, and nothing to change: the directory already matches the file.";

  /** @param {SpreadsheetInformation} outcome */
  const showInfo = (outcome) => {
    info.hidden = false;
    fill(
      info,
      el("h2", { id: "info-title" }, "Spreadsheet Information"),
      el("p", { class: outcome.ok ? "ok" : "error" }, verdict(outcome)),
      summaryFacts(outcome),
      issuesView(outcome),
    );
  };

  /** @param {string} id */
  const follow = async (id) => {
    progress.hidden = false;
    const bar = el("progress", { id: "save-progress", max: 1, value: 0 });
    const text = el("p", { role: "status" }, "Saving…");
    /** @type {import("../components/import-banner.js").RateMemory} */
    const memory = new Map();
    fill(
      progress,
      el("h2", { id: "progress-title" }, "Saving"),
      el("label", { for: "save-progress" }, "Save progress"),
      bar,
      text,
      el("p", {}, "You can leave this page: the save goes on, and Import history shows how it ends."),
      cancelButton(id, (error) => {
        message.show(error);
      }),
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
        text.textContent = runningText(meta, running, memory);
      },
      POLL_MS,
    ).catch((/** @type {unknown} */ error) => {
      announce(errorText(error));
      return undefined;
    });
    if (!view) return;
    progress.hidden = true;
    window.dispatchEvent(new window.Event(IMPORTS_CHANGED_EVENT));
    if (view.state === "saved") {
      // The past tense: what the save did, how long it took, the users it touched, the results file.
      info.hidden = false;
      fill(info, savedView(view), issueList("Warnings", view.warnings, view.warningCount));
    } else showInfo(view);
    // Directory users the save made imported: Sync All is offered right here (directory-sync.js).
    info.append(syncOffer(page.me, view) ?? "");
    cleanKey = undefined;
    updateSave();
    const result = resultText(meta, view);
    announce(
      view.state === "saved"
        ? `Import saved. ${result}.`
        : view.cancelRequested
          ? "Import cancelled: nothing was written."
          : `Import failed: ${result}.`,
    );
    await history.load();
  };

  const form = el(
    "form",
    { class: "card import-form", "aria-labelledby": "import-title", novalidate: true },
    el("h2", { id: "import-title" }, "Import users from a spreadsheet"),
    ...fields.wrappers,
    message.node,
    el("div", { class: "actions" }, preview, " ", save),
    previewStatus,
    previewCancel,
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
    message.clear();
    const problem = fields.problem();
    if (problem) {
      message.show(problem);
      return;
    }
    const key = fields.key();
    preview.disabled = true;
    announce("Checking the spreadsheet…");
    try {
      // In the background, so a long preview shows how far it is.
      const sent = fields.upload();
      // The group first: a missing group is said at once, before the file is sent.
      if (sent.fields.group) {
        await call("GET /groups/members", { query: { path: sent.fields.group, limit: 1 } });
      }
      const started = await upload("POST /imports/preview/start", sent.fields, sent.file);
      previewCancel.replaceChildren(
        cancelButton(started.importId, (error) => {
          message.show(error);
        }),
      );
      window.dispatchEvent(new window.Event(IMPORTS_CHANGED_EVENT));
      const outcome = await waitForImport(meta, form, started.importId, (view) => {
        previewStatus.textContent = `Previewing… ${progressText(meta, view.progress)}`;
      });
      previewStatus.textContent = "";
      previewCancel.replaceChildren();
      if (!outcome) return;
      window.dispatchEvent(new window.Event(IMPORTS_CHANGED_EVENT));
      cleanKey = outcome.ok && hasChanges(outcome) ? key : undefined;
      cleanPreviewId = outcome.importId ?? undefined;
      attributesCreated = outcome.summary.attributesCreated;
      showInfo(outcome);
      const first = outcome.errors[0];
      announce(
        outcome.ok || !first
          ? `Preview: no errors, ${outcome.summary.create} to create, ${outcome.summary.update} to update.`
          : `Preview: ${plural(outcome.errorCount, "error")}. The first${first.cell ? `, at ${first.cell}` : ""}: ${first.message} (${first.code})`,
      );
      await history.load();
    } catch (error) {
      message.show(error);
    } finally {
      previewCancel.replaceChildren();
      preview.disabled = false;
      updateSave();
    }
  };

  save.addEventListener("click", () => {
    message.clear();
    if (save.disabled) return;
    if (
      attributesCreated.length > 0 &&
      !window.confirm(
        `Saving creates ${plural(attributesCreated.length, "new attribute")}: ${attributesCreated.join(", ")}. Save anyway?`,
      )
    ) {
      return;
    }
    if (cleanPreviewId === undefined) return;
    save.disabled = true;
    call("POST /imports/{id}/save", { params: { id: cleanPreviewId } })
      .then(async (started) => {
        announce("Save started.");
        window.dispatchEvent(new window.Event(IMPORTS_CHANGED_EVENT));
        await history.load();
        await follow(started.importId);
      })
      .catch((/** @type {unknown} */ error) => {
        message.show(error);
        updateSave();
      });
  });

  page.show("Imports", form, progress, info, history.section);
  fields.syncFields();
  await history.load();
}
