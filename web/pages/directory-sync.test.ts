// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SyncRun } from "../api-types.js";
import { progressText, runResultText, syncOffer } from "./directory-sync.js";
import { jsonReply, signedIn } from "./test-page.js";

const ME = signedIn(["import_users", "run_directory_sync"]);

function run(changes: Partial<SyncRun>): SyncRun {
  return {
    runId: "run-1",
    account: "CxAy",
    state: "done",
    result: "ok",
    by: "admin@example.com",
    startedAt: "2026-01-05T09:00:00.000Z",
    finishedAt: "2026-01-05T09:00:01.000Z",
    connectorCount: 1,
    connectors: [{ id: "c1", name: "corp", entries: 3, error: null }],
    created: 0,
    updated: 0,
    reclaimed: 1,
    flagged: 0,
    removed: 0,
    errorCount: 0,
    errorCounts: {},
    failure: null,
    progress: null,
    errors: [],
    ...changes,
  };
}

describe("Sync All in the console", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    document.body.replaceChildren();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("says how far a run has come and how it ended", () => {
    expect(progressText(null)).toBe("Starting…");
    expect(progressText({ stage: "reading", connectorsRead: 1, connectors: 2 })).toBe(
      "Reading connector 2 of 2…",
    );
    expect(progressText({ stage: "writing", connectorsRead: 2, connectors: 2 })).toBe("Writing the changes…");
    expect(runResultText(run({}))).toBe(
      "Done: 0 created, 0 updated, 1 reclaimed, 0 flagged, 0 removed, 0 errors",
    );
    expect(runResultText(run({ finishedAt: null, state: "running", result: null }))).toBe(
      "Running: Starting…",
    );
    expect(
      runResultText(
        run({ state: "failed", failure: { code: "sync_connectors_failed", message: "None read." } }),
      ),
    ).toBe("Failed: None read. [sync_connectors_failed]");
  });

  it("offers Sync All after a save that made directory users imported, and follows the run to its end", async () => {
    expect(syncOffer(ME, { state: "saved", summary: { typeChanged: 0 } })).toBeNull();
    expect(syncOffer(ME, { state: "validated", summary: { typeChanged: 2 } })).toBeNull();
    const denied = syncOffer(
      { ...ME, permissions: ["import_users"] },
      { state: "saved", summary: { typeChanged: 1 } },
    );
    expect(denied?.querySelector("button")).toBeNull();

    const calls: string[] = [];
    const views = [
      run({
        finishedAt: null,
        state: "running",
        result: null,
        progress: { stage: "reading", connectorsRead: 0, connectors: 1 },
      }),
      run({}),
    ];
    vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
      calls.push(`${init.method ?? "GET"} ${url}`);
      const body = url === "/api/v1/sync" ? { runId: "run-1", state: "running" } : (views.shift() ?? run({}));
      return jsonReply(body, url === "/api/v1/sync" ? 202 : 200);
    });
    const offer = syncOffer(ME, { state: "saved", summary: { typeChanged: 1 } });
    if (!offer) throw new Error("an offer was expected");
    document.body.append(offer);
    expect(offer.textContent).toContain("1 directory user became Manually Imported Users.");
    offer.querySelector("button")?.click();
    await vi.advanceTimersByTimeAsync(300);
    expect(offer.querySelector("[role=status]")?.textContent).toBe("Sync All: Reading connector 1 of 1…");
    await vi.advanceTimersByTimeAsync(1000);
    expect(offer.querySelector("[role=status]")?.textContent).toContain("Sync All done: 0 created");
    expect(calls).toEqual(["POST /api/v1/sync", "GET /api/v1/sync/run-1", "GET /api/v1/sync/run-1"]);
  });
});
