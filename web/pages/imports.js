// Users & Groups | Imports: the import dialog administrators know, the Spreadsheet Information of a
// preview, a save that runs on the server while this page polls it, and the import history.
import { api, enc, upload } from "../api.js";
import { el, field, fill } from "../dom.js";
import { announce, errorText } from "../ui.js";

const ERRORS_PER_PAGE = 50;
const HISTORY_PER_PAGE = 20;
const POLL_MS = 1000;
const MAX_NOTE = 100;

const STAGES = {
  reading: "Reading the spreadsheet",
  hashing: "Hashing passwords",
  saving: "Saving",
};

const number = (n) => n.toLocaleString("en-US");
const plural = (n, word) => `${number(n)} ${n === 1 ? word : `${word}s`}`;

/**
 * Every error of an import, listed or not (the server lists only the first: errorCount counts them all; a
 * record older than the count lists every one).
 */
const errorTotal = (info) => Math.max(info.errorCount ?? 0, info.errors.length);
const warningTotal = (info) => Math.max(info.warningCount ?? 0, info.warnings.length);

/** "yes_no_invalid: 786,420, alias_invalid: 196,605", most frequent first. */
function countsText(counts) {
  return Object.entries(counts ?? {})
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, n]) => `${code}: ${number(n)}`)
    .join(", ");
}
const when = (iso) => iso.replace("T", " ").slice(0, 19);
const running = (state) => state === "uploaded" || state === "saving";

function optionsText(options) {
  if (options.uploadOnly) return "Upload Only (No Folder)";
  const override =
    options.override === "overwrite" ? "Overwrite existing records" : "Add to existing records";
  return `${options.group} (${override})`;
}

function progressText(progress) {
  if (!progress) return "Starting";
  const stage = STAGES[progress.stage] ?? progress.stage;
  return progress.total > 0 ? `${stage}: ${progress.done} / ${progress.total}` : stage;
}

function resultText(item) {
  const errors = item.errorCount ?? item.errors?.length ?? 0;
  const s = item.summary;
  switch (item.state) {
    case "saved":
      return `Saved: ${s.create} created, ${s.update} updated, ${s.unchanged} unchanged`;
    case "validated":
      return `Previewed, no errors: ${s.create} to create, ${s.update} to update`;
    case "failed":
      return `${item.mode === "save" ? "Save failed" : item.mode === "preview" ? "Preview failed" : "Failed"}: ${plural(errors, "error")}`;
    default:
      return `${item.mode === "preview" ? "Previewing" : "Saving"}… ${progressText(item.progress)}`;
  }
}

function facts(pairs) {
  return el(
    "dl",
    { class: "facts" },
    ...pairs.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, String(value))]),
  );
}

/** The counts of a preview or a saved import, as the Spreadsheet Information names them. */
function summaryFacts(info) {
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

function issueList(title, issues, total = issues.length) {
  if (!issues.length) return null;
  return el(
    "div",
    {},
    el(
      "h3",
      {},
      `${title} (${total > issues.length ? `the first ${number(issues.length)} of ${number(total)}` : number(total)})`,
    ),
    el(
      "ul",
      { class: "warnings" },
      ...issues.map((w) =>
        el("li", {}, w.cell ? `${w.cell}: ${w.message} [${w.code}]` : `${w.message} [${w.code}]`),
      ),
    ),
  );
}

/**
 * The errors as a table: Cell, Row, Column, Code, Message; filtered by any text, 50 to a page. When the
 * server listed only the first errors, a line above says so and counts every error by code.
 */
function errorTable(info) {
  const { errors } = info;
  const section = el("div", { class: "errors" });
  if (!errors.length) {
    section.append(el("p", {}, "No errors."));
    return section;
  }
  const total = errorTotal(info);
  if (total > errors.length) {
    section.append(
      el(
        "p",
        { class: "truncated" },
        `The first ${number(errors.length)} of ${plural(total, "error")} are listed. By code: ${countsText(info.errorCounts)}.`,
      ),
    );
  }
  const filter = field("Filter errors", { type: "search", placeholder: "cell, code or text" });
  const body = el("div");
  let page = 1;
  const draw = () => {
    const q = filter.input.value.trim().toLowerCase();
    const shown = q
      ? errors.filter((e) =>
          [e.cell, e.row, e.column, e.code, e.message].some((v) =>
            String(v ?? "")
              .toLowerCase()
              .includes(q),
          ),
        )
      : errors;
    const pages = Math.max(1, Math.ceil(shown.length / ERRORS_PER_PAGE));
    page = Math.min(page, pages);
    const slice = shown.slice((page - 1) * ERRORS_PER_PAGE, page * ERRORS_PER_PAGE);
    fill(
      body,
      el(
        "table",
        { class: "issues" },
        el(
          "caption",
          {},
          `Errors (${number(shown.length)}${q ? ` of ${number(errors.length)}` : ""}${total > errors.length ? ` listed, of ${number(total)}` : ""})`,
        ),
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
      pager("Error pages", page, pages, (next) => {
        page = next;
        draw();
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

/** Previous / Next for a paged list; nothing when it fits on one page. */
function pager(label, page, pages, go) {
  if (pages <= 1) return null;
  return el(
    "nav",
    { class: "pager", "aria-label": label },
    el("button", { type: "button", disabled: page <= 1, onclick: () => go(page - 1) }, "Previous"),
    ` Page ${page} of ${pages} `,
    el("button", { type: "button", disabled: page >= pages, onclick: () => go(page + 1) }, "Next"),
  );
}

function reportLinks(id) {
  return el(
    "p",
    { class: "links" },
    el("a", { href: `/api/v1/imports/${enc(id)}/errors.xls`, download: "" }, "Download error report (.xls)"),
    el("a", { href: `/api/v1/imports/${enc(id)}/errors.csv`, download: "" }, "Download error report (.csv)"),
  );
}

/** A dialog with the group tree and a search box; resolves with the chosen path (undefined on Cancel). */
async function lookupGroup(returnFocus) {
  const groups = await api("GET", "/groups");
  const search = field("Search groups", { type: "search", autocomplete: "off" });
  const tree = el("div", { class: "group-tree" });
  const dialog = el("dialog", { "aria-labelledby": "lookup-title", class: "lookup" });
  return new Promise((resolve) => {
    const close = (path) => {
      dialog.close();
      dialog.remove();
      returnFocus.focus();
      resolve(path);
    };
    const draw = () => {
      const q = search.input.value.trim().toLowerCase();
      // A match keeps its ancestors, so the tree still reads as a tree.
      const visible = new Set();
      for (const g of groups) {
        if (q && !g.path.toLowerCase().includes(q)) continue;
        for (let p = g.path; p; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") visible.add(p);
      }
      const children = new Map();
      for (const g of groups) {
        if (!visible.has(g.path)) continue;
        const key = g.parent ?? "";
        if (!children.has(key)) children.set(key, []);
        children.get(key).push(g);
      }
      const build = (parent) =>
        el(
          "ul",
          { class: "tree" },
          ...(children.get(parent) ?? []).map((g) =>
            el(
              "li",
              {},
              el("button", { type: "button", class: "link", onclick: () => close(g.path) }, g.path),
              children.has(g.path) ? build(g.path) : null,
            ),
          ),
        );
      fill(tree, visible.size ? build("") : el("p", {}, q ? "No group matches." : "No groups yet."));
    };
    search.input.addEventListener("input", draw);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(undefined);
    });
    dialog.append(
      el("h2", { id: "lookup-title" }, "Choose a profile group"),
      search.wrapper,
      tree,
      el("button", { type: "button", onclick: () => close(undefined) }, "Cancel"),
    );
    draw();
    document.body.append(dialog);
    dialog.showModal();
    search.input.focus();
  });
}

/** Calls `tick` every second while `node` is on the page; stops once tick returns false or the page changes. */
/**
 * Polls an import until it is no longer running, calling `onTick` with each view while it runs; resolves
 * with the final view, or undefined when `node` left the page first (the import goes on regardless).
 */
function waitForImport(node, id, onTick) {
  // Soon at first, so a small file's preview shows at once; then at the page's usual pace.
  let delay = 150;
  const next = () => {
    const wait = delay;
    delay = Math.min(POLL_MS, delay * 2);
    return wait;
  };
  return new Promise((resolve, reject) => {
    const step = async () => {
      if (!document.contains(node)) {
        resolve(undefined);
        return;
      }
      try {
        const view = await api("GET", `/imports/${enc(id)}`);
        if (!running(view.state)) {
          resolve(view);
          return;
        }
        onTick(view);
        setTimeout(step, next());
      } catch (error) {
        reject(error);
      }
    };
    setTimeout(step, next());
  });
}

function pollWhileShown(node, tick) {
  const step = async () => {
    if (!document.contains(node)) return;
    let again = false;
    try {
      again = await tick();
    } catch (error) {
      announce(errorText(error));
    }
    if (again && document.contains(node)) setTimeout(step, POLL_MS);
  };
  setTimeout(step, POLL_MS);
}

function historySection(onChange) {
  const section = el(
    "section",
    { class: "card", "aria-labelledby": "history-title" },
    el("h2", { id: "history-title" }, "Import history"),
  );
  const body = el("div");
  section.append(body);
  let page = 1;
  let polling = false;
  const load = async () => {
    const data = await api("GET", `/imports?page=${page}&pageSize=${HISTORY_PER_PAGE}`);
    const pages = Math.max(1, Math.ceil(data.total / HISTORY_PER_PAGE));
    fill(
      body,
      data.items.length
        ? el(
            "table",
            { class: "history" },
            el("caption", {}, `${plural(data.total, "import")}, newest first`),
            el(
              "thead",
              {},
              el(
                "tr",
                {},
                ...["When", "Who", "File", "Note", "Options", "Result"].map((h) =>
                  el("th", { scope: "col" }, h),
                ),
              ),
            ),
            el(
              "tbody",
              {},
              ...data.items.map((item) =>
                el(
                  "tr",
                  {},
                  el("td", {}, when(item.at)),
                  el("td", {}, item.by),
                  el("td", {}, el("a", { href: `#/imports/${enc(item.importId)}` }, item.file)),
                  el("td", {}, item.note ?? ""),
                  el("td", {}, optionsText(item.options)),
                  el("td", {}, resultText(item)),
                ),
              ),
            ),
          )
        : el("p", {}, "No imports yet."),
      pager("History pages", page, pages, (next) => {
        page = next;
        void load();
      }),
    );
    // While a save runs, the history follows it; when it ends, the page hears of it.
    const busy = data.items.some((item) => running(item.state));
    if (busy && !polling) {
      polling = true;
      pollWhileShown(section, async () => {
        const still = await load();
        if (!still) {
          polling = false;
          onChange();
        }
        return still;
      });
    }
    return busy;
  };
  return { section, load };
}

export async function renderImports(page) {
  if (!page.me.permissions.includes("import_users")) {
    page.show("Imports", el("p", { class: "card" }, "Your roles do not include importing users."));
    return;
  }
  const message = el("p", { class: "error", role: "alert" });
  const format = field("Import Format", { value: "Mimecast Import", readonly: true });
  const uploadOnly = field("Upload Only (No Folder)", { type: "checkbox", name: "uploadOnly" });
  const group = field("Import Into Profile Group", { name: "group", autocomplete: "off" });
  const lookup = el("button", { type: "button", "aria-haspopup": "dialog" }, "Lookup");
  const overrideSelect = el(
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
  const counter = el("span", { class: "counter", id: "note-count" }, `0 / ${MAX_NOTE}`);
  const note = field("Add Note", { name: "note", maxlength: MAX_NOTE, "aria-describedby": "note-count" });
  note.wrapper.append(counter);
  const preview = el("button", { type: "submit" }, "Preview Changes");
  const previewStatus = el("p", { class: "counter", role: "status" });
  const save = el("button", { type: "button", disabled: true }, "Save");
  const info = el("section", { class: "card", "aria-labelledby": "info-title", hidden: true });
  const progress = el("section", { class: "card", "aria-labelledby": "progress-title", hidden: true });
  const history = historySection(() => {});

  // Save needs a clean preview of exactly what would be sent now.
  let cleanKey;
  const currentKey = () => {
    const f = file.input.files[0];
    return JSON.stringify([
      f?.name,
      f?.size,
      f?.lastModified,
      uploadOnly.input.checked,
      group.input.value.trim(),
      overrideSelect.value,
      note.input.value.trim(),
    ]);
  };
  const updateSave = () => {
    save.disabled = cleanKey === undefined || cleanKey !== currentKey();
  };
  const syncFields = () => {
    const off = uploadOnly.input.checked;
    group.input.disabled = off;
    lookup.disabled = off;
    overrideSelect.disabled = off;
    updateSave();
  };

  const formData = () => {
    const data = new FormData();
    if (uploadOnly.input.checked) data.set("uploadOnly", "true");
    else {
      data.set("group", group.input.value.trim());
      data.set("override", overrideSelect.value);
    }
    if (note.input.value.trim()) data.set("note", note.input.value.trim());
    data.set("file", file.input.files[0]);
    return data;
  };

  const check = () => {
    if (!file.input.files[0]) return "Choose the spreadsheet (.xls) to upload.";
    if (!uploadOnly.input.checked && !group.input.value.trim())
      return "Choose the profile group to import into, or tick Upload Only (No Folder).";
    return undefined;
  };

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
          : `${plural(errorTotal(outcome), "error")}: correct the file and preview again. Nothing was written.`,
      ),
      summaryFacts(outcome),
      issueList("Warnings", outcome.warnings, warningTotal(outcome)),
      errorTable(outcome),
      outcome.errors.length && outcome.importId ? reportLinks(outcome.importId) : null,
    );
  };

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
    pollWhileShown(progress, async () => {
      const view = await api("GET", `/imports/${enc(id)}`);
      if (running(view.state)) {
        if (view.progress && view.progress.total > 0) {
          bar.max = view.progress.total;
          bar.value = view.progress.done;
        }
        text.textContent = progressText(view.progress);
        return true;
      }
      progress.hidden = true;
      showInfo(view);
      cleanKey = undefined;
      updateSave();
      announce(
        view.state === "saved" ? `Import saved. ${resultText(view)}.` : `Import failed: ${resultText(view)}.`,
      );
      await history.load();
      return false;
    });
  };

  const form = el(
    "form",
    { class: "card import-form", "aria-labelledby": "import-title", novalidate: true },
    el("h2", { id: "import-title" }, "Import users from a spreadsheet"),
    format.wrapper,
    uploadOnly.wrapper,
    el("div", { class: "inline" }, group.wrapper, lookup),
    el("div", { class: "field" }, el("label", { for: "group-override" }, "Group Override"), overrideSelect),
    file.wrapper,
    note.wrapper,
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

  for (const input of [group.input, note.input, overrideSelect]) input.addEventListener("input", updateSave);
  uploadOnly.input.addEventListener("change", syncFields);
  note.input.addEventListener("input", () => {
    counter.textContent = `${Array.from(note.input.value).length} / ${MAX_NOTE}`;
  });
  file.input.addEventListener("change", () => {
    cleanKey = undefined;
    info.hidden = true;
    updateSave();
  });
  lookup.addEventListener("click", async () => {
    try {
      const path = await lookupGroup(lookup);
      if (path !== undefined) {
        group.input.value = path;
        updateSave();
        group.input.focus();
      }
    } catch (error) {
      message.textContent = errorText(error);
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    const problem = check();
    if (problem) {
      message.textContent = problem;
      return;
    }
    const key = currentKey();
    preview.disabled = true;
    announce("Checking the spreadsheet…");
    try {
      // In the background, so a long preview (a re-import verifying each password) shows how far it is.
      const started = await upload("/imports/preview/start", formData());
      const outcome = await waitForImport(form, started.importId, (view) => {
        previewStatus.textContent = `Previewing… ${progressText(view.progress)}`;
      });
      previewStatus.textContent = "";
      if (!outcome) return;
      cleanKey = outcome.ok ? key : undefined;
      showInfo(outcome);
      announce(
        outcome.ok
          ? `Preview: no errors, ${outcome.summary.create} to create, ${outcome.summary.update} to update.`
          : `Preview: ${plural(errorTotal(outcome), "error")}. The first is at ${outcome.errors[0].cell ?? "no cell"}: ${outcome.errors[0].code}.`,
      );
      await history.load();
    } catch (error) {
      message.textContent = errorText(error);
    } finally {
      preview.disabled = false;
      updateSave();
    }
  });

  save.addEventListener("click", async () => {
    message.textContent = "";
    if (save.disabled) return;
    save.disabled = true;
    try {
      const started = await upload("/imports/save", formData());
      announce("Save started.");
      await history.load();
      await follow(started.importId);
    } catch (error) {
      message.textContent = errorText(error);
      updateSave();
    }
  });

  page.show("Imports", form, progress, info, history.section);
  syncFields();
  await history.load();
}

/** One import: its options, note, state, Spreadsheet Information, errors and the error report. */
export async function renderImport(page, id) {
  const view = await api("GET", `/imports/${enc(id)}`);
  const status = el("p", { role: "status" }, running(view.state) ? progressText(view.progress) : "");
  const content = el(
    "div",
    {},
    el("p", {}, el("a", { href: "#/imports" }, "Back to Imports")),
    el(
      "section",
      { class: "card", "aria-labelledby": "about" },
      el("h2", { id: "about" }, "Import"),
      facts([
        ["Result", resultText(view)],
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
      issueList("Warnings", view.warnings, warningTotal(view)),
      errorTable(view),
      view.errors.length || view.warnings.length ? reportLinks(view.importId) : null,
    ),
  );
  page.show(`Import of ${view.file}`, content);
  if (running(view.state)) {
    pollWhileShown(content, async () => {
      const now = await api("GET", `/imports/${enc(id)}`);
      if (running(now.state)) {
        status.textContent = progressText(now.progress);
        return true;
      }
      await renderImport(page, id);
      announce(`Import ${now.state}.`);
      return false;
    });
  }
}
