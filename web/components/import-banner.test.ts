// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ImportListItem, Me, Meta } from "../api-types.js";
import { NO_CHANGES } from "../../test/support/import-summary.js";
import { bannerText, describeRunning, mountImportBanner, type RateMemory } from "./import-banner.js";
import { jsonReply, signedIn } from "../pages/test-page.js";

const META = {
  runningImportStates: ["uploaded", "saving"],
  importStages: [
    { stage: "reading", label: "Reading" },
    { stage: "hashing", label: "Hashing passwords" },
    { stage: "saving", label: "Saving" },
  ],
} as unknown as Meta;

const ME = signedIn(["import_users"]);

const AT = Date.parse("2026-01-05T09:00:00.000Z");

function item(changes: Partial<ImportListItem>): ImportListItem {
  return {
    ok: true,
    saved: false,
    importId: "imp-1",
    kind: "users",
    cancelRequested: false,
    file: "staff.xls",
    sheet: "Staff",
    summary: NO_CHANGES,
    errorCount: 0,
    warningCount: 0,
    state: "saving",
    mode: "save",
    by: ME.email,
    at: new Date(AT).toISOString(),
    updatedAt: new Date(AT).toISOString(),
    options: { group: "Staff", override: "add", uploadOnly: false },
    note: null,
    progress: { stage: "saving", done: 1000, total: 5000 },
    ...changes,
  };
}

describe("describeRunning", () => {
  it("gives the stage, percent and time so far, and an estimate only once the stage has moved", () => {
    const memory: RateMemory = new Map();
    const first = describeRunning(item({}), META, AT + 10_000, memory);
    expect(first).toEqual({ stage: "Saving", percent: 20, elapsedMs: 10_000, etaMs: undefined });
    const later = item({ progress: { stage: "saving", done: 2000, total: 5000 } });
    const second = describeRunning(later, META, AT + 12_000, memory);
    // 1,000 rows in 2 s: 3,000 left take 6 s.
    expect(second).toMatchObject({ percent: 40, etaMs: 6000 });
    expect(bannerText(later, second)).toBe(
      "Importing staff.xls: Saving 40% (2,000 of 5,000), 12.0 s so far, about 6.0 s left",
    );
    // A new stage measures afresh.
    const hashing = item({ progress: { stage: "hashing", done: 10, total: 100 } });
    expect(describeRunning(hashing, META, AT + 13_000, memory).etaMs).toBeUndefined();
  });

  it("says Starting before any progress", () => {
    const d = describeRunning(item({ progress: null, state: "uploaded" }), META, AT, new Map());
    expect(d).toEqual({ stage: "Starting", percent: undefined, elapsedMs: 0, etaMs: undefined });
  });
});

describe("the import banner", () => {
  let items: ImportListItem[] = [];
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal("fetch", (url: string) =>
      url === "/api/v1/meta"
        ? jsonReply(META)
        : jsonReply({ items, total: items.length, page: 1, pageSize: 10 }),
    );
    document.body.replaceChildren(document.createElement("main"));
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("shows this administrator's running import on any page (after a reload too), follows it, and goes", async () => {
    items = [item({}), item({ importId: "other", by: "someone@example.com", file: "theirs.xls" })];
    const main = document.querySelector("main") as HTMLElement;
    const banner = mountImportBanner(main, () => ME);
    await vi.advanceTimersByTimeAsync(0);
    expect(banner.node.hidden).toBe(false);
    expect(banner.node.textContent).toContain("Importing staff.xls: Saving 20% (1,000 of 5,000)");
    expect(banner.node.textContent).not.toContain("theirs.xls");
    expect(banner.node.querySelector("a")?.getAttribute("href")).toBe("#/imports/imp-1");
    expect((banner.node.querySelector("progress") as HTMLProgressElement).value).toBe(20);

    items = [item({ progress: { stage: "saving", done: 5000, total: 5000 } })];
    await vi.advanceTimersByTimeAsync(1000);
    expect(banner.node.textContent).toContain("100%");
    items = [item({ state: "saved", saved: true })];
    await vi.advanceTimersByTimeAsync(1000);
    expect(banner.node.hidden).toBe(true);
  });

  it("stays hidden for someone who may not import, and waits for the sign-in", async () => {
    items = [item({})];
    const main = document.querySelector("main") as HTMLElement;
    let me: Me | undefined;
    const banner = mountImportBanner(main, () => me);
    await vi.advanceTimersByTimeAsync(0);
    expect(banner.node.hidden).toBe(true);
    me = { ...ME, permissions: [] };
    await vi.advanceTimersByTimeAsync(1000);
    expect(banner.node.hidden).toBe(true);
    me = ME;
    window.dispatchEvent(new Event("hashchange"));
    await vi.advanceTimersByTimeAsync(0);
    expect(banner.node.hidden).toBe(false);
  });
});
