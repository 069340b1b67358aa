// What the import pages say about an import: its result, progress and options as text, its Spreadsheet
// Information as facts, and the links to its error report. States and stage labels come from the server.
import { downloadUrl } from "../api.js";
import { el } from "../dom.js";
import { facts } from "../components/facts.js";
import { plural } from "../components/format.js";
/** @import { Import, ImportListItem, ImportProgress, Meta, SpreadsheetInformation } from "../api-types.js" */

/** @typedef {Pick<ImportListItem, "state" | "mode" | "summary" | "errorCount" | "progress">} ImportResult */

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
  switch (item.state) {
    case "saved":
      return `Saved: ${s.create} created, ${s.update} updated, ${s.unchanged} unchanged`;
    case "validated":
      return `Previewed, no errors: ${s.create} to create, ${s.update} to update`;
    case "failed":
      return `${failedText(item.mode)}: ${plural(item.errorCount, "error")}`;
    default:
      return `${item.mode === "preview" ? "Previewing" : "Saving"}… ${progressText(meta, item.progress)}`;
  }
}

/**
 * The counts of a preview or a saved import, as the Spreadsheet Information names them.
 * @param {SpreadsheetInformation} info
 */
export function summaryFacts(info) {
  const s = info.summary;
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

/** @param {string} id */
export function reportLinks(id) {
  return el(
    "p",
    { class: "links" },
    el(
      "a",
      { href: downloadUrl("GET /imports/{id}/errors.xls", { params: { id } }), download: "" },
      "Download error report (.xls)",
    ),
    el(
      "a",
      { href: downloadUrl("GET /imports/{id}/errors.csv", { params: { id } }), download: "" },
      "Download error report (.csv)",
    ),
  );
}
