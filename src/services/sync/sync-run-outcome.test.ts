import { describe, expect, it } from "vitest";
import type { SyncConnectorRead } from "../../directory/plan-sync.js";
import { connectorOutcomes, decideRunOutcome } from "./sync-run-outcome.js";

const read = (name: string, entries: number | undefined): SyncConnectorRead => ({
  connector: { id: `id-${name}`, name, removeMissing: false },
  entries:
    entries === undefined
      ? undefined
      : Array.from({ length: entries }, (_, i) => ({
          externalId: `${name}-${i}`,
          dn: `uid=${i}`,
          email: `u${i}@example.com`,
          name: `U ${i}`,
          aliases: [],
        })),
});

describe("decideRunOutcome", () => {
  it("is done and ok when every connector was read and nothing was skipped", () => {
    expect(decideRunOutcome([read("corp", 3)], 0)).toEqual({ state: "done", result: "ok", failure: null });
  });

  it("is done and partial when an entry was skipped or one connector of several failed", () => {
    expect(decideRunOutcome([read("corp", 3)], 1)).toMatchObject({ state: "done", result: "partial" });
    expect(decideRunOutcome([read("corp", 3), read("branch", undefined)], 1)).toMatchObject({
      state: "done",
      result: "partial",
      failure: null,
    });
  });

  it("fails with sync_connectors_failed when no connector could be read", () => {
    expect(decideRunOutcome([read("corp", undefined), read("branch", undefined)], 2)).toMatchObject({
      state: "failed",
      result: "failed",
      failure: { code: "sync_connectors_failed" },
    });
  });

  it("is done when the account has no connector: there was nothing to read", () => {
    expect(decideRunOutcome([], 0)).toEqual({ state: "done", result: "ok", failure: null });
  });
});

describe("connectorOutcomes", () => {
  it("records each connector's entries, or its error code when it failed", () => {
    const errors = new Map([["id-branch", "ldap_bind_failed"]]);
    expect(connectorOutcomes([read("corp", 2), read("branch", undefined)], errors)).toEqual([
      { id: "id-corp", name: "corp", entries: 2, error: null },
      { id: "id-branch", name: "branch", entries: null, error: "ldap_bind_failed" },
    ]);
  });
});
