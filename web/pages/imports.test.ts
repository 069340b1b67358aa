// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Import, ImportListItem, Meta } from "../api-types.js";
import { NO_CHANGES } from "../../test/support/import-summary.js";
import { renderImports } from "./imports.js";
import { jsonReply, signedIn, testPage } from "./test-page.js";

const META: Meta = {
  noteMaxLength: 100,
  uploadMaxBytes: 64 * 1024 * 1024,
  importStates: ["uploaded", "validated", "saving", "saved", "failed"],
  runningImportStates: ["uploaded", "saving"],
  importStages: [
    { stage: "reading", label: "Reading the spreadsheet" },
    { stage: "hashing", label: "Hashing passwords" },
    { stage: "saving", label: "Saving" },
  ],
  roles: [],
  recipientValidations: [],
};

const ME = signedIn(["import_users"]);

function view(id: string, changes: Partial<Import>): Import {
  return {
    ok: true,
    saved: false,
    importId: id,
    kind: "users",
    cancelRequested: false,
    file: "staff.xls",
    sheet: "Staff",
    checkpoint: "A1",
    summary: { ...NO_CHANGES, rows: 2, create: 2, groupAdded: 2 },
    errors: [],
    warnings: [],
    errorCount: 0,
    warningCount: 0,
    errorCounts: {},
    warningCounts: {},
    truncated: false,
    state: "validated",
    mode: "preview",
    by: "admin@example.com",
    at: "2026-01-05T09:00:00.000Z",
    updatedAt: "2026-01-05T09:00:00.000Z",
    options: { group: "Staff", override: "add", uploadOnly: false },
    note: null,
    progress: null,
    sha256: "0".repeat(64),
    ...changes,
  };
}

/** The server as the page sees it: each import answers its views in turn, then keeps the last. */
function stubServer(views: Record<string, Import[]>) {
  const history: ImportListItem[] = [];
  const calls: string[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    const method = init.method ?? "GET";
    calls.push(`${method} ${url}`);
    if (url === "/api/v1/meta") return jsonReply(META);
    if (url.startsWith("/api/v1/groups/members?")) return jsonReply({ items: [], nextCursor: null });
    if (url.endsWith("/users"))
      return jsonReply({ items: [{ address: "amy@example.com", action: "created" }] });
    if (url.startsWith("/api/v1/imports?"))
      return jsonReply({ items: history, total: history.length, page: 1, pageSize: 20 });
    if (method === "POST") {
      const id = url.endsWith("/save") ? "save-1" : "preview-1";
      return jsonReply({ importId: id, state: "uploaded" }, 202);
    }
    const id = url.slice("/api/v1/imports/".length);
    const queue = views[id] ?? [];
    const next = queue.length > 1 ? queue.shift() : queue[0];
    return next
      ? jsonReply(next)
      : jsonReply({ error: { code: "import_not_found", message: "no", details: {} } }, 404);
  });
  return { calls, history };
}

describe("the imports page", () => {
  let main: HTMLElement;
  let status: HTMLElement;
  beforeEach(() => {
    vi.useFakeTimers();
    main = document.createElement("main");
    status = document.createElement("div");
    status.id = "status";
    document.body.replaceChildren(main, status);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const page = testPage(() => main, ME);
  const byLabel = (text: string) => {
    const label = [...main.querySelectorAll("label")].find((l) => l.textContent === text);
    return main.querySelector(`#${label?.getAttribute("for") ?? "missing"}`) as HTMLInputElement;
  };
  const button = (text: string) =>
    [...main.querySelectorAll("button")].find((b) => b.textContent === text) as HTMLButtonElement;
  const chooseFile = (name: string) => {
    const input = byLabel("Upload Spreadsheet (.xls)");
    Object.defineProperty(input, "files", { value: [new File(["xls"], name)], configurable: true });
    input.dispatchEvent(new Event("change"));
  };
  const type = (label: string, value: string) => {
    const input = byLabel(label);
    input.value = value;
    input.dispatchEvent(new Event("input"));
  };

  it("takes the note limit from the server, enables Save only after a clean preview of the same input, and follows the save", async () => {
    const server = stubServer({
      "preview-1": [
        view("preview-1", { state: "uploaded", progress: { stage: "reading", done: 1, total: 2 } }),
        view("preview-1", {}),
      ],
      "save-1": [
        view("save-1", { state: "saving", mode: "save", progress: { stage: "hashing", done: 1, total: 2 } }),
        view("save-1", { state: "saved", mode: "save", saved: true }),
      ],
    });
    await renderImports(page);
    expect(byLabel("Add Note").getAttribute("maxlength")).toBe("100");
    expect(main.querySelector("#note-count")?.textContent).toBe("0 / 100");
    expect(main.textContent).toContain("No imports yet.");
    expect(button("Save").disabled).toBe(true);

    // Nothing chosen: the page says what is missing and sends nothing.
    main.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    expect(main.querySelector(".error")?.textContent).toBe("Choose the spreadsheet (.xls) to upload.");

    chooseFile("staff.xls");
    type("Import Into Profile Group", "Staff");
    main.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.advanceTimersByTimeAsync(150);
    expect(main.textContent).toContain("Previewing… Reading the spreadsheet: 1 / 2");
    await vi.advanceTimersByTimeAsync(300);
    expect(main.textContent).toContain("No errors: Save will make these changes.");
    expect(status.textContent).toBe("Preview: no errors, 2 to create, 0 to update.");
    expect(button("Save").disabled).toBe(false);

    // A change after the preview needs a new one; undoing it does not.
    type("Add Note", "Spring");
    expect(button("Save").disabled).toBe(true);
    type("Add Note", "");
    expect(button("Save").disabled).toBe(false);

    button("Save").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(status.textContent).toBe("Save started.");
    expect(main.querySelector("h2#progress-title")?.textContent).toBe("Saving");
    await vi.advanceTimersByTimeAsync(1000);
    expect((main.querySelector("#save-progress") as HTMLProgressElement).max).toBe(2);
    expect(main.textContent).toContain("Hashing passwords 50% (1 of 2)");
    await vi.advanceTimersByTimeAsync(1000);
    expect(status.textContent).toBe("Import saved. Saved: 2 created, 0 updated, 0 unchanged.");
    expect((main.querySelector("[aria-labelledby=progress-title]") as HTMLElement).hidden).toBe(true);
    expect(button("Save").disabled).toBe(true);
    // The results in the past tense, with the users it created.
    expect(main.querySelector("#results-title")?.textContent).toBe("Import saved");
    expect(main.textContent).toContain("Created 2 users, updated 0 (0 unchanged).");
    expect(main.textContent).not.toContain("Users to create");
    expect(main.querySelector('a[href="#/user/amy%40example.com"]')).not.toBeNull();
    expect(server.calls).toContain("GET /api/v1/groups/members?path=Staff&limit=1");
    expect(server.calls.filter((c) => c.startsWith("POST"))).toEqual([
      "POST /api/v1/imports/preview/start",
      // The clean preview's upload, kept on the server: nothing is sent twice.
      "POST /api/v1/imports/preview-1/save",
    ]);
  });

  it("cancels a running save from its progress card and says nothing was written", async () => {
    const cancelled = {
      code: "import_cancelled",
      cell: null,
      row: null,
      column: null,
      message: "Cancelled before it was saved: nothing was written.",
    };
    const server = stubServer({
      "preview-1": [view("preview-1", {})],
      "save-1": [
        view("save-1", {
          state: "saving",
          mode: "save",
          progress: { stage: "saving", done: 512, total: 65534 },
        }),
        view("save-1", { state: "saving", mode: "save", cancelRequested: true }),
        view("save-1", {
          state: "failed",
          mode: "save",
          ok: false,
          cancelRequested: true,
          errors: [cancelled],
          errorCount: 1,
        }),
      ],
    });
    await renderImports(page);
    chooseFile("staff.xls");
    type("Import Into Profile Group", "Staff");
    main.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.advanceTimersByTimeAsync(500);
    button("Save").click();
    await vi.advanceTimersByTimeAsync(1000);
    button("Cancel").click();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toContain("POST /api/v1/imports/save-1/cancel");
    expect(button("Cancelling…").disabled).toBe(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(status.textContent).toBe("Import cancelled: nothing was written.");
    expect(main.textContent).toContain("Cancelled: nothing was written.");
    expect(button("Save").disabled).toBe(true);
  });

  it("shows a preview's errors at their cells and keeps Save disabled", async () => {
    const error = { code: "yes_no_invalid", cell: "D3", row: 3, column: "D", message: "not yes or no" };
    stubServer({
      "preview-1": [view("preview-1", { state: "failed", ok: false, errors: [error], errorCount: 1 })],
    });
    await renderImports(page);
    chooseFile("bad.xls");
    const uploadOnly = byLabel("Upload Only (No Folder)");
    uploadOnly.checked = true;
    uploadOnly.dispatchEvent(new Event("change"));
    expect(byLabel("Import Into Profile Group").disabled).toBe(true);
    main.querySelector("form")?.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.advanceTimersByTimeAsync(150);
    expect(status.textContent).toBe("Preview: 1 error. The first, at D3: not yes or no (yes_no_invalid)");
    expect([...main.querySelectorAll("tbody td")].map((td) => td.textContent)).toEqual([
      "D3",
      "3",
      "D",
      "yes_no_invalid",
      "not yes or no",
    ]);
    expect(main.textContent).toContain("Download error report (.xls)");
    expect(button("Save").disabled).toBe(true);
  });
});
