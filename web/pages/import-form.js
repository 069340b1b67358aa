// The import dialog's fields, as administrators know them: format, Upload Only, profile group (with
// Lookup), group override, the spreadsheet and a note.
import { el, field } from "../dom.js";
import { lookupGroup } from "./group-lookup.js";
/** @import { UploadRoutes } from "../api-types.js" */

/** @typedef {UploadRoutes["POST /imports/save"]["fields"]} ImportFields */

/**
 * @param {number} noteMaxLength the server's limit on a note, in characters
 * @param {(error: unknown) => void} onError a Lookup that failed
 */
export function importForm(noteMaxLength, onError) {
  const format = field("Import Format", { value: "Mimecast Import", readonly: true });
  const uploadOnly = field("Upload Only (No Folder)", { type: "checkbox", name: "uploadOnly" });
  const group = field("Import Into Profile Group", { name: "group", autocomplete: "off" });
  const lookup = el("button", { type: "button", "aria-haspopup": "dialog" }, "Lookup");
  const override = el(
    "select",
    { id: "group-override", name: "override" },
    el("option", { value: "add" }, "Add to existing records"),
    el("option", { value: "overwrite" }, "Overwrite existing records"),
  );
  const file = field("Upload Spreadsheet (.xls)", {
    type: "file",
    name: "file",
    accept: ".xls,application/vnd.ms-excel",
    required: true,
  });
  const counter = el("span", { class: "counter", id: "note-count" }, `0 / ${noteMaxLength}`);
  const note = field("Add Note", {
    name: "note",
    maxlength: noteMaxLength,
    "aria-describedby": "note-count",
  });
  note.wrapper.append(counter);
  note.input.addEventListener("input", () => {
    counter.textContent = `${Array.from(note.input.value).length} / ${noteMaxLength}`;
  });

  /** @type {Array<() => void>} */
  const listeners = [];
  const changed = () => listeners.forEach((listener) => listener());
  for (const input of [group.input, note.input, override]) input.addEventListener("input", changed);
  const syncFields = () => {
    const off = uploadOnly.input.checked;
    group.input.disabled = off;
    lookup.disabled = off;
    override.disabled = off;
    changed();
  };
  uploadOnly.input.addEventListener("change", syncFields);
  lookup.addEventListener("click", () => {
    lookupGroup(lookup).then((path) => {
      if (path === undefined) return;
      group.input.value = path;
      changed();
      group.input.focus();
    }, onError);
  });

  const chosenFile = () => file.input.files?.[0];
  return {
    /** The fields, in the dialog's order, for the form to hold. */
    wrappers: [
      format.wrapper,
      uploadOnly.wrapper,
      el("div", { class: "inline" }, group.wrapper, lookup),
      el("div", { class: "field" }, el("label", { for: "group-override" }, "Group Override"), override),
      file.wrapper,
      note.wrapper,
    ],
    fileInput: file.input,
    syncFields,
    /** @param {() => void} listener called when a field that a preview depends on changes */
    onChange(listener) {
      listeners.push(listener);
    },
    /** What would be sent now, as one string: Save needs a clean preview of exactly this. */
    key() {
      const f = chosenFile();
      return JSON.stringify([
        f?.name,
        f?.size,
        f?.lastModified,
        uploadOnly.input.checked,
        group.input.value.trim(),
        override.value,
        note.input.value.trim(),
      ]);
    },
    /** @returns {string | undefined} what is missing before an upload, in words */
    problem() {
      if (!chosenFile()) return "Choose the spreadsheet (.xls) to upload.";
      if (!uploadOnly.input.checked && !group.input.value.trim())
        return "Choose the profile group to import into, or tick Upload Only (No Folder).";
      return undefined;
    },
    /** @returns {{ fields: ImportFields, file: File }} */
    upload() {
      const f = chosenFile();
      if (!f) throw new Error("problem() is checked first");
      /** @type {ImportFields} */
      const fields = uploadOnly.input.checked
        ? { uploadOnly: "true" }
        : { group: group.input.value.trim(), override: override.value === "overwrite" ? "overwrite" : "add" };
      if (note.input.value.trim()) fields.note = note.input.value.trim();
      return { fields, file: f };
    },
  };
}
