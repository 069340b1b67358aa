// What the import pages say about an import: its result, progress and options as text, its Spreadsheet
// Information as facts, and the links to its error report. States and stage labels come from the server.
import { ApiError, call, downloadUrl, enc } from "../api.js";
import { el, fill } from "../dom.js";
import { facts } from "../components/facts.js";
import { duration, formatNumber, plural } from "../components/format.js";
import { bannerText, describeRunning } from "../components/import-banner.js";
import { errorTable, issueList } from "../components/issue-table.js";
import { announce } from "../ui.js";
/** @import { Import, ImportListItem, ImportProgress, Meta, SpreadsheetInformation } from "../api-types.js" */
/** @import { RateMemory } from "../components/import-banner.js" */
/** @import { Child } from "../dom.js" */

/** @typedef {Pick<ImportListItem, "kind" | "state" | "mode" | "summary" | "errorCount" | "progress" | "cancelRequested">} ImportResult */

/**
 * Whether the import is still at work in the server (the page polls while it is).
 * @param {Meta} meta
 * @param {Import["state"]} state
 */
export const isRunning = (meta, state) => meta.runningImportStates.includes(state);

/**
 * @param {Import["options"]} options
 * @returns {string}
 */
export function optionsText(options) {
  if (options.uploadOnly) return "Upload Only (No Folder)";
  const override =
    options.override === "overwrite" ? "Overwrite existing records" : "Add to existing records";
  return `${options.group ?? ""} (${override})`;
}

/**
 * @param {Meta} meta
 * @param {ImportProgress | null} progress
 * @returns {string}
 */
export function progressText(meta, progress) {
  if (!progress) return "Starting";
  const stage = meta.importStages.find((s) => s.stage === progress.stage)?.label ?? progress.stage;
  return progress.total > 0 ? `${stage}: ${progress.done} / ${progress.total}` : stage;
}

/**
 * @param {ImportResult["mode"]} mode
 */
const failedText = (mode) =>
  mode === "save" ? "Save failed" : mode === "preview" ? "Preview failed" : "Failed";

/**
 * @param {Meta} meta
 * @param {ImportResult} item
 * @returns {string}
 */
export function resultText(meta, item) {
  const s = item.summary;
  // A delegate import counts pairs (add, remove), not users.
  if (item.kind === "delegates" && (item.state === "saved" || item.state === "validated")) {
    const counts = `${formatNumber(s.add ?? 0)} to add, ${formatNumber(s.remove ?? 0)} to remove, ${formatNumber(s.unchanged)} unchanged`;
    return item.state === "saved" ? `Saved: ${counts}` : `Previewed, no errors: ${counts}`;
  }
  switch (item.state) {
    case "saved":
      return `Saved: ${formatNumber(s.create)} created, ${formatNumber(s.update)} updated, ${formatNumber(s.unchanged)} unchanged`;
    case "validated":
      return `Previewed, no errors: ${formatNumber(s.create)} to create, ${formatNumber(s.update)} to update`;
    case "failed":
      return item.cancelRequested
        ? "Cancelled: nothing was written"
        : `${failedText(item.mode)}: ${plural(item.errorCount, "error")}`;
    default:
      return item.cancelRequested
        ? "Cancelling…"
        : `${item.mode === "preview" ? "Previewing" : "Saving"}… ${progressText(meta, item.progress)}`;
  }
}

/**
 * The counts of a preview or a saved import, as the Spreadsheet Information names them; a delegate import
 * (kind "delegates") counts pairs.
 * @param {SpreadsheetInformation & { kind?: Import["kind"] }} info
 */
export function summaryFacts(info) {
  const s = info.summary;
  if (info.kind === "delegates") {
    return facts([
      ["File", info.file],
      ["Import Format", "Delegate Mailbox Access"],
      ["Sheet", info.sheet ?? "-"],
      ["Checkpoint cell", info.checkpoint ?? "-"],
      ["Rows read", s.rows],
      ["Pairs to add", s.add ?? 0],
      ["Pairs to remove", s.remove ?? 0],
      ["Pairs unchanged", s.unchanged],
    ]);
  }
  return facts([
    ["File", info.file],
    ["Import Format", "Mimecast Import"],
    ["Sheet", info.sheet ?? "-"],
    ["Checkpoint cell", info.checkpoint ?? "-"],
    ["Rows read", s.rows],
    ["Users to create", s.create],
    ["Users to update", s.update],
    ["Users left unchanged", s.unchanged],
    ["Aliases to add", s.aliasesAdded],
    ["Attributes to create", s.attributesCreated.length ? s.attributesCreated.join(", ") : "None"],
    ["Group members to add", s.groupAdded],
    ["Group members to remove", s.groupRemoved],
    ["Users whose type changes", s.typeChanged],
  ]);
}

/**
 * What an import imported: the group options of a user import, or that it set delegate access.
 * @param {Pick<ImportListItem, "kind" | "options">} item
 */
export const importedText = (item) =>
  item.kind === "delegates" ? "Delegate Mailbox Access" : optionsText(item.options);

/**
 * Whether a clean preview would change anything: Save stays disabled when it would not.
 * @param {SpreadsheetInformation} info
 */
export function hasChanges(info) {
  const s = info.summary;
  return s.create + s.update + s.groupAdded + s.groupRemoved + (s.add ?? 0) + (s.remove ?? 0) > 0;
}

/**
 * A running import's progress as a sentence with the percent, the time so far and the time left.
 * @param {Meta} meta
 * @param {Import} view
 * @param {RateMemory} memory
 */
export function runningText(meta, view, memory) {
  return bannerText(view, describeRunning(view, meta, Date.now(), memory));
}

/**
 * What a saved import did, in the past tense: "Created 12 users, updated 3 (5 unchanged)", how long it took,
 * links to the first 50 users it created or changed (the users list for the rest) and the results file.
 * @param {Import} view
 * @returns {HTMLElement}
 */
export function savedView(view) {
  const s = view.summary;
  const took = Date.parse(view.updatedAt) - Date.parse(view.at);
  const users = el("div", { class: "imported-users" }, el("p", {}, "Loading the users it changed…"));
  const done =
    view.kind === "delegates"
      ? `Added ${plural(s.add ?? 0, "pair")}, removed ${formatNumber(s.remove ?? 0)}`
      : `Created ${plural(s.create, "user")}, updated ${formatNumber(s.update)}`;
  const section = el(
    "section",
    { class: "card results", "aria-labelledby": "results-title" },
    el("h2", { id: "results-title" }, "Import saved"),
    el("p", { class: "ok" }, `${done} (${formatNumber(s.unchanged)} unchanged).`),
    Number.isNaN(took) ? null : el("p", {}, `It took ${duration(Math.max(0, took))}.`),
    users,
    view.importId ? resultsLinks(view.importId) : null,
  );
  if (view.importId && view.kind !== "delegates")
    void fillImportedUsers(users, view.importId, s.create + s.update);
  else users.remove();
  return section;
}

/**
 * @param {HTMLElement} node
 * @param {string} id
 * @param {number} total
 */
async function fillImportedUsers(node, id, total) {
  try {
    const { items } = await call("GET /imports/{id}/users", { params: { id } });
    if (!items.length) return fill(node);
    fill(
      node,
      el(
        "h3",
        {},
        total > items.length
          ? `The first ${items.length} of ${formatNumber(total)} users it changed`
          : "Users it changed",
      ),
      el(
        "ul",
        { class: "links" },
        ...items.map((u) =>
          el("li", {}, el("a", { href: `#/user/${enc(u.address)}` }, u.address), ` (${u.action})`),
        ),
      ),
      total > items.length ? el("p", {}, el("a", { href: "#/users" }, "View all users")) : null,
    );
  } catch {
    fill(node);
  }
}

/**
 * Links to one of an import's files, as .xls and as .csv.
 * @param {string} id
 * @param {"results" | "errors"} file
 * @param {string} label
 */
function downloadLinks(id, file, label) {
  const formats = /** @type {const} */ (["xls", "csv"]);
  return el(
    "p",
    { class: "links" },
    ...formats.map((format) =>
      el(
        "a",
        { href: downloadUrl(`GET /imports/{id}/${file}.${format}`, { params: { id } }), download: "" },
        `${label} (.${format})`,
      ),
    ),
  );
}

/**
 * The results file: the uploaded sheet with Status and Error columns, to fix and upload again.
 * @param {string} id
 */
export const resultsLinks = (id) => downloadLinks(id, "results", "Download results file");

/** @param {string} id */
export const reportLinks = (id) => downloadLinks(id, "errors", "Download error report");

/**
 * An import's warnings and errors, then the error report (when there are errors; with `reportWarnings`, when
 * there are warnings too) and, unless `results` is false (a delegate import has none), the results file.
 * @param {SpreadsheetInformation} info
 * @param {{ reportWarnings?: boolean, results?: boolean }} [options]
 * @returns {Child[]}
 */
export function issuesView(info, { reportWarnings = false, results = true } = {}) {
  const id = info.importId;
  const reported = info.errors.length > 0 || (reportWarnings && info.warnings.length > 0);
  return [
    issueList("Warnings", info.warnings, info.warningCount),
    errorTable(info),
    reported && id ? reportLinks(id) : null,
    results && info.errors.length && id ? resultsLinks(id) : null,
  ];
}

/**
 * Cancel for a running preview or save: asks the server to stop it (it ends failed with import_cancelled,
 * nothing written); the button then says the import is stopping. An import that ended meanwhile needs nothing.
 * @param {string} id
 * @param {(error: unknown) => void} onError
 */
export function cancelButton(id, onError) {
  const button = el("button", { type: "button", class: "secondary" }, "Cancel");
  button.addEventListener("click", () => {
    button.disabled = true;
    button.textContent = "Cancelling…";
    call("POST /imports/{id}/cancel", { params: { id } }).then(
      () => {
        announce("Cancelling: nothing the import has not saved will be written.");
      },
      (/** @type {unknown} */ error) => {
        if (error instanceof ApiError && error.code === "import_not_running") return;
        button.disabled = false;
        button.textContent = "Cancel";
        onError(error);
      },
    );
  });
  return button;
}
