// Users & Groups | Directory Synchronization: the LDAP connectors (add, edit, test, remove), Sync All with
// its progress, and the history of runs. The Imports page borrows Sync All from here (syncOffer).
import { call, enc } from "../api.js";
import { el, field, fill } from "../dom.js";
import { announce, errorText } from "../ui.js";
import { facts } from "../components/facts.js";
import { countsText, formatNumber, plural, when } from "../components/format.js";
import { pagedHistory } from "../components/paged-history.js";
import { poll } from "../components/poll.js";
import { showRefusal } from "../components/refusal.js";
/** @import { Connector, Me, SyncProgress, SyncRun, SyncRunListItem } from "../api-types.js" */
/** @typedef {import("../app.js").Page} Page */

export const RUNS_PER_PAGE = 20;
const POLL_MS = 1000;

/** @param {Me} me */
export const maySync = (me) => me.permissions.includes("run_directory_sync");

/**
 * A run is at work until the server gives it an end.
 * @param {Pick<SyncRunListItem, "finishedAt">} run
 */
const isRunning = (run) => run.finishedAt === null;

/** @param {Pick<SyncRunListItem, "created" | "updated" | "reclaimed" | "flagged" | "removed" | "errorCount">} run */
export const runCounts = (run) =>
  `${run.created} created, ${run.updated} updated, ${run.reclaimed} reclaimed, ` +
  `${run.flagged} flagged, ${run.removed} removed, ${plural(run.errorCount, "error")}`;

/** @param {SyncProgress | null} progress */
export function progressText(progress) {
  if (!progress) return "Starting…";
  if (progress.stage === "writing") return "Writing the changes…";
  const next = Math.min(progress.connectorsRead + 1, progress.connectors);
  return progress.connectors ? `Reading connector ${next} of ${progress.connectors}…` : "Reading…";
}

/** @param {SyncRunListItem} run */
export function runResultText(run) {
  if (isRunning(run)) return `Running: ${progressText(run.progress)}`;
  if (run.failure) return `Failed: ${run.failure.message} [${run.failure.code}]`;
  return `${run.result === "partial" ? "Done, with errors" : "Done"}: ${runCounts(run)}`;
}

/**
 * Starts Sync All (or joins the run already at work) and follows it to its end; undefined when `node`
 * left the page first (the run goes on in the server).
 * @param {Node} node
 * @param {(run: SyncRun) => void} onTick told each view while the run is at work
 * @returns {Promise<SyncRun | undefined>}
 */
export async function runSyncAll(node, onTick) {
  const { runId } = await call("POST /sync");
  return poll({
    node,
    firstMs: 250,
    maxMs: POLL_MS,
    tick: async () => {
      const run = await call("GET /sync/{runId}", { params: { runId } });
      if (!isRunning(run)) return run;
      onTick(run);
      return undefined;
    },
  }).result;
}

/**
 * A Sync All button with its status line; `onEnded` is told the run once it has ended.
 * @param {(run: SyncRun) => void | Promise<void>} [onEnded]
 */
export function syncAllControl(onEnded) {
  const status = el("p", { role: "status" });
  const button = el("button", { type: "button" }, "Sync All");
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "Sync All started…";
    runSyncAll(status, (run) => {
      status.textContent = `Sync All: ${progressText(run.progress)}`;
    })
      .then(async (run) => {
        if (!run) return;
        status.textContent = run.failure
          ? `Sync All failed: ${run.failure.message} [${run.failure.code}]`
          : `Sync All done: ${runCounts(run)}`;
        status.className = run.failure ? "error" : "ok";
        announce(run.failure ? "Sync All failed." : "Sync All done.");
        await onEnded?.(run);
      })
      .catch((/** @type {unknown} */ error) => {
        status.textContent = errorText(error);
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return el("div", { class: "actions" }, button, status);
}

/**
 * What the Imports page says after a save that made directory users imported: the documented step is a
 * Directory Synchronization right after, offered here. Null when the save changed no user's type.
 * @param {Me} me
 * @param {{ state: string, summary: { typeChanged: number } }} view
 */
export function syncOffer(me, view) {
  const changed = view.summary.typeChanged;
  if (view.state !== "saved" || changed === 0) return null;
  const told = `${plural(changed, "directory user")} became Manually Imported Users.`;
  return el(
    "section",
    { class: "card", "aria-labelledby": "sync-offer-title" },
    el("h2", { id: "sync-offer-title" }, "Directory Synchronization needed"),
    el("p", {}, `${told} Run Sync All now to make them Directory Users again.`),
    maySync(me)
      ? syncAllControl()
      : el(
          "p",
          {},
          "Your roles do not include Directory Synchronization: ask an administrator who may run it.",
        ),
  );
}

/** @param {number} n */
const entriesText = (n) => `${formatNumber(n)} ${n === 1 ? "entry" : "entries"}`;

/** @param {Connector["type"]} type */
const typeLabel = (type) => (type === "active-directory" ? "Active Directory" : "LDAP (OpenLDAP)");

/** @param {Connector["lastRun"]} run */
function lastRunText(run) {
  if (!run) return "Never";
  const read = run.error ? `not read (${run.error})` : `${entriesText(run.entries ?? 0)} read`;
  return `${when(run.startedAt)}, ${run.state}: ${read}; ${runCounts(run)}`;
}

/**
 * The add or edit form; the bind password is write-only: never shown, replaced only when typed.
 * @param {Connector | undefined} connector undefined: a new one
 * @param {() => Promise<void>} onSaved
 * @param {() => void} onCancel
 */
function connectorForm(connector, onSaved, onCancel) {
  const editing = connector !== undefined;
  const name = field("Name", { value: connector?.name ?? "", required: true, maxlength: 100 });
  const type = el(
    "select",
    { id: "connector-type", disabled: editing },
    el("option", { value: "ldap", selected: connector?.type === "openldap" }, typeLabel("openldap")),
    el(
      "option",
      { value: "active-directory", selected: connector?.type === "active-directory" },
      typeLabel("active-directory"),
    ),
  );
  const url = field("URL (ldap:// or ldaps://)", { value: connector?.url ?? "", required: true });
  const bindDn = field("Bind DN", { value: connector?.bindDn ?? "", required: true, autocomplete: "off" });
  const password = field(editing ? "Bind password (leave empty to keep it)" : "Bind password", {
    type: "password",
    autocomplete: "new-password",
    required: !editing,
  });
  const baseDn = field("Base DN", { value: connector?.baseDn ?? "", required: true });
  // A new connector may leave it empty for its type's default; an edit shows the filter in force.
  const filter = field(editing ? "Filter" : "Filter (empty: the type's default)", {
    value: connector?.filter ?? "",
    required: editing,
  });
  const startTls = field("StartTLS", { type: "checkbox", checked: connector?.startTls ?? false });
  const removeMissing = field("Remove users the directory no longer lists", {
    type: "checkbox",
    checked: connector?.removeMissing ?? false,
  });
  const message = el("p", { class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card narrow", "aria-labelledby": "connector-form-title" },
    el(
      "h2",
      { id: "connector-form-title" },
      editing ? `Edit connector ${connector.name}` : "Add a connector",
    ),
    name.wrapper,
    el("div", { class: "field" }, el("label", { for: "connector-type" }, "Type"), type),
    url.wrapper,
    bindDn.wrapper,
    password.wrapper,
    baseDn.wrapper,
    filter.wrapper,
    startTls.wrapper,
    removeMissing.wrapper,
    message,
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit" }, "Save connector"),
      " ",
      el("button", { type: "button", onclick: onCancel }, "Cancel"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    message.textContent = "";
    const settings = {
      name: name.input.value.trim(),
      url: url.input.value.trim(),
      bindDn: bindDn.input.value.trim(),
      baseDn: baseDn.input.value.trim(),
      startTls: startTls.input.checked,
      removeMissing: removeMissing.input.checked,
    };
    const text = filter.input.value.trim();
    const saving = connector
      ? call("PATCH /connectors/{name}", {
          params: { name: connector.name },
          body: {
            ...settings,
            ...(text ? { filter: text } : {}),
            ...(password.input.value ? { bindPassword: password.input.value } : {}),
          },
        })
      : call("POST /connectors", {
          body: {
            ...settings,
            type: type.value,
            bindPassword: password.input.value,
            ...(text ? { filter: text } : {}),
          },
        });
    saving
      .then(async (saved) => {
        password.input.value = "";
        announce(`Connector ${saved.name} saved.`);
        await onSaved();
      })
      .catch((/** @type {unknown} */ error) => {
        message.textContent = errorText(error);
      });
  });
  return form;
}

/**
 * One connector as a card: its settings, last run, and Edit, Test and Remove.
 * @param {Connector} connector
 * @param {{ edit: (c: Connector) => void, reload: () => Promise<void> }} actions
 */
function connectorCard(connector, actions) {
  const result = el("p", { role: "status" });
  const buttons = el("div", { class: "actions" });
  const params = { name: connector.name };
  const test = el("button", { type: "button" }, "Test");
  test.addEventListener("click", () => {
    test.disabled = true;
    result.className = "";
    result.textContent = "Testing…";
    call("POST /connectors/{name}/test", { params })
      .then((t) => {
        result.className = t.ok ? "ok" : "error";
        result.textContent = t.error
          ? `Test failed: ${t.error.message} [${t.error.code}]`
          : `Test passed: ${entriesText(t.entries)}${t.more ? " or more" : ""} found, ${t.skipped} would be skipped.`;
      })
      .catch((/** @type {unknown} */ error) => {
        result.textContent = errorText(error);
      })
      .finally(() => {
        test.disabled = false;
      });
  });
  const askRemove = () =>
    fill(
      buttons,
      el("span", {}, `Remove ${connector.name}? Its users stay, no longer synced. `),
      el("button", { type: "button", onclick: remove }, "Yes, remove"),
      " ",
      el("button", { type: "button", onclick: showButtons }, "Keep it"),
    );
  const remove = () =>
    call("DELETE /connectors/{name}", { params })
      .then(async (removed) => {
        announce(
          `Connector ${removed.name} removed; ${plural(removed.usersUnmapped, "user")} no longer synced.`,
        );
        await actions.reload();
      })
      .catch((/** @type {unknown} */ error) => {
        result.textContent = errorText(error);
      });
  function showButtons() {
    fill(
      buttons,
      el("button", { type: "button", onclick: () => actions.edit(connector) }, "Edit"),
      " ",
      test,
      " ",
      el("button", { type: "button", onclick: askRemove }, "Remove"),
    );
  }
  showButtons();
  const titleId = `connector-${enc(connector.name).replace(/%/g, "_")}`;
  return el(
    "section",
    { class: "card", "aria-labelledby": titleId },
    el("h3", { id: titleId }, connector.name),
    facts([
      ["Type", typeLabel(connector.type)],
      ["URL", `${connector.url}${connector.startTls ? " (StartTLS)" : ""}`],
      ["Base DN", connector.baseDn],
      ["Bind DN", connector.bindDn],
      ["Filter", connector.filter],
      ["Remove missing users", connector.removeMissing ? "Yes" : "No"],
    ]),
    // Long: a line of its own reads better than a narrow column on a phone.
    el("p", {}, el("strong", {}, "Last run: "), lastRunText(connector.lastRun)),
    buttons,
    result,
  );
}

/** The history of runs, newest first, a page at a time; it follows a run still at work. */
function historySection() {
  return pagedHistory({
    id: "runs-title",
    title: "Sync history",
    noun: "run",
    empty: "No Sync All has run yet.",
    pagerLabel: "Sync history pages",
    pageSize: RUNS_PER_PAGE,
    headers: ["Started", "By", "Result"],
    fetchPage: (page, pageSize) => call("GET /sync", { query: { page, pageSize } }),
    cells: (run) => {
      const counted = Object.keys(run.errorCounts).length > 0;
      return [
        when(run.startedAt),
        run.by,
        [runResultText(run), counted ? el("br") : null, counted ? countsText(run.errorCounts) : null],
      ];
    },
    running: isRunning,
  });
}

/** @param {Page} page */
export async function renderSync(page) {
  if (!maySync(page.me)) {
    showRefusal(page, "Directory Synchronization", "Directory Synchronization");
    return;
  }
  const list = el("div");
  const editor = el("div");
  const history = historySection();
  const addButton = el("button", { type: "button" }, "Add connector");
  const reload = async () => {
    fill(editor);
    const connectors = await call("GET /connectors");
    fill(
      list,
      connectors.length
        ? connectors.map((c) => connectorCard(c, { edit, reload }))
        : el("p", { class: "card" }, "No directory connector is configured."),
    );
  };
  /** @param {Connector | undefined} connector */
  function edit(connector) {
    const done = () => fill(editor);
    fill(editor, connectorForm(connector, reload, done));
    editor.querySelector("input")?.focus();
  }
  addButton.addEventListener("click", () => edit(undefined));
  const syncAll = el(
    "section",
    { class: "card", "aria-labelledby": "sync-all-title" },
    el("h2", { id: "sync-all-title" }, "Sync All"),
    el("p", {}, "Reads every connector of the account and brings its users into the directory."),
    syncAllControl(async () => {
      await Promise.all([reload(), history.load()]);
    }),
  );
  page.show(
    "Directory Synchronization",
    syncAll,
    el(
      "section",
      { "aria-labelledby": "connectors-title" },
      el("h2", { id: "connectors-title" }, "Connectors"),
      el("div", { class: "actions" }, addButton),
      editor,
      list,
    ),
    history.section,
  );
  await Promise.all([reload(), history.load()]);
}
