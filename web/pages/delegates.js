// Delegate Mailbox Access: who (the Primary Address) may open whose mailbox (the Delegate Address). The
// list with search and pages, its export, and the import: Preview Changes, then Save, run as imports of
// kind "delegates" in the server and followed through GET /imports/{id}, as the user import is.
import { call, downloadUrl, upload } from "../api.js";
import { el, field, fill } from "../dom.js";
import { serverFacts } from "../server-facts.js";
import { announce, errorText } from "../ui.js";
import { plural } from "../components/format.js";
import { pageCount, pager } from "../components/pager.js";
import { searchForm } from "../components/search-form.js";
import { showRefusal } from "../components/refusal.js";
import { waitForImport } from "./imports.js";
import { issuesView, progressText, summaryFacts } from "./import-views.js";
/** @import { Import } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

const PAGE_SIZE = 25;

/** @param {Page} page */
export async function renderDelegates(page) {
  if (!page.me.permissions.includes("manage_users")) {
    showRefusal(page, "Delegate Mailbox Access", "managing users");
    return;
  }
  const list = listSection();
  const parts = [list.section];
  if (page.me.permissions.includes("manage_delegates")) {
    parts.unshift(await importSection(() => list.load(list.query(), 1)));
  }
  page.show("Delegate Mailbox Access", ...parts);
  await list.load("", 1);
}

function listSection() {
  const { form, search } = searchForm({
    label: "Search delegate access",
    placeholder: "primary or delegate address",
    onSearch: (q) => load(q, 1),
  });
  const results = el("div");
  const exportLink = el(
    "a",
    { href: downloadUrl("GET /delegates/export.xls", {}), download: "" },
    "Export (.xls)",
  );
  /**
   * @param {string} q
   * @param {number} number
   */
  const load = async (q, number) => {
    const data = await call("GET /delegates", { query: { q, page: number, pageSize: PAGE_SIZE } });
    const table = el(
      "table",
      { class: "delegates" },
      el("caption", {}, q ? `Delegate access matching “${q}”` : "All delegate access"),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["Primary Address (may open)", "Delegate Address (mailbox)"].map((h) =>
            el("th", { scope: "col" }, h),
          ),
        ),
      ),
      el(
        "tbody",
        {},
        ...data.items.map((pair) =>
          el(
            "tr",
            {},
            el("td", {}, el("a", { href: `#/user/${encodeURIComponent(pair.primary)}` }, pair.primary)),
            el("td", {}, el("a", { href: `#/user/${encodeURIComponent(pair.delegate)}` }, pair.delegate)),
          ),
        ),
      ),
    );
    const nav = pager({
      label: "Delegate pages",
      page: number,
      pages: pageCount(data.total, PAGE_SIZE),
      go: (next) => void load(q, next).catch((error) => announce(errorText(error))),
      suffix: ` (${plural(data.total, "pair")})`,
      always: true,
    });
    fill(results, data.items.length ? table : el("p", {}, "No delegate access."), nav);
  };
  const section = el(
    "section",
    { class: "card", "aria-labelledby": "delegates-title" },
    el("h2", { id: "delegates-title" }, "Who may open whose mailbox"),
    form,
    el("p", { class: "links" }, exportLink),
    results,
  );
  return { section, load, query: () => search.input.value };
}

/** @param {() => Promise<void>} reload the list, after a save */
async function importSection(reload) {
  const meta = await serverFacts();
  const file = field("Upload Spreadsheet (.xls)", {
    type: "file",
    name: "file",
    accept: ".xls,application/vnd.ms-excel",
    required: true,
  });
  const note = field("Add Note", { name: "note", maxlength: meta.noteMaxLength });
  const message = el("p", { class: "error", role: "alert" });
  const status = el("p", { class: "counter", role: "status" });
  const preview = el("button", { type: "submit" }, "Preview Changes");
  const save = el("button", { type: "button", disabled: true }, "Save");
  const info = el("section", { class: "card", "aria-labelledby": "delegate-info-title", hidden: true });
  const chosen = () => file.input.files?.[0];
  const key = () => {
    const f = chosen();
    return JSON.stringify([f?.name, f?.size, f?.lastModified, note.input.value.trim()]);
  };
  // Save needs a clean preview of exactly what would be sent now.
  /** @type {string | undefined} */
  let cleanKey;
  const updateSave = () => {
    save.disabled = cleanKey === undefined || cleanKey !== key();
  };
  file.input.addEventListener("change", () => {
    cleanKey = undefined;
    info.hidden = true;
    updateSave();
  });
  note.input.addEventListener("input", updateSave);

  /** @param {Import} view */
  const showInfo = (view) => {
    info.hidden = false;
    fill(
      info,
      el("h2", { id: "delegate-info-title" }, "Spreadsheet Information"),
      el(
        "p",
        { class: view.ok ? "ok" : "error" },
        view.state === "saved"
          ? "Saved."
          : view.ok
            ? "No errors: Save will make these changes."
            : `${plural(view.errorCount, "error")}: correct the file and preview again. Nothing was written.`,
      ),
      summaryFacts(view),
      issuesView(view, { results: false }),
    );
  };

  /**
   * @param {"POST /delegates/import/preview/start" | "POST /delegates/import/save"} route
   * @param {File} chosenFile
   */
  const run = async (route, chosenFile) => {
    const text = note.input.value.trim();
    const started = await upload(route, text ? { note: text } : {}, chosenFile);
    const view = await waitForImport(meta, form, started.importId, (running) => {
      status.textContent = `Working… ${progressText(meta, running.progress)}`;
    });
    status.textContent = "";
    if (view) showInfo(view);
    return view;
  };

  const form = el(
    "form",
    { class: "card import-form", "aria-labelledby": "delegate-import-title", novalidate: true },
    el("h2", { id: "delegate-import-title" }, "Import delegate access from a spreadsheet"),
    el(
      "p",
      {},
      "A sheet with the headers primary (the user who gains access), delegate (the mailbox they may open) " +
        "and optionally action (add or remove).",
    ),
    file.wrapper,
    note.wrapper,
    message,
    el("div", { class: "actions" }, preview, " ", save),
    status,
    el(
      "p",
      {},
      el(
        "a",
        { href: downloadUrl("GET /delegates/template.xls", {}), download: "" },
        "Download a blank template (.xls)",
      ),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    message.textContent = "";
    const f = chosen();
    if (!f) {
      message.textContent = "Choose the spreadsheet (.xls) to upload.";
      return;
    }
    const sent = key();
    preview.disabled = true;
    announce("Checking the spreadsheet…");
    run("POST /delegates/import/preview/start", f)
      .then((view) => {
        if (!view) return;
        cleanKey = view.ok ? sent : undefined;
        const first = view.errors[0];
        announce(
          view.ok || !first
            ? `Preview: no errors, ${view.summary.add ?? 0} to add, ${view.summary.remove ?? 0} to remove.`
            : `Preview: ${plural(view.errorCount, "error")}. The first is at ${first.cell ?? "no cell"}: ${first.code}.`,
        );
      })
      .catch((/** @type {unknown} */ error) => {
        message.textContent = errorText(error);
      })
      .finally(() => {
        preview.disabled = false;
        updateSave();
      });
  });
  save.addEventListener("click", () => {
    const f = chosen();
    if (save.disabled || !f) return;
    message.textContent = "";
    save.disabled = true;
    run("POST /delegates/import/save", f)
      .then(async (view) => {
        cleanKey = undefined;
        updateSave();
        if (!view) return;
        announce(view.state === "saved" ? "Delegate access saved." : "The save failed: nothing was written.");
        await reload();
      })
      .catch((/** @type {unknown} */ error) => {
        message.textContent = errorText(error);
        updateSave();
      });
  });
  return el("div", {}, form, info);
}
