import { describe, expect, it } from "vitest";
import { MAX_LISTED_SYNC_ERRORS, SyncErrors } from "./sync-errors.js";

describe("SyncErrors", () => {
  it("lists the first errors only and counts every one by code", () => {
    const errors = new SyncErrors();
    for (let i = 0; i < 65_535; i++) {
      errors.add({
        connector: "corp",
        code: i % 2 === 0 ? "domain_not_internal" : "address_invalid",
        message: "entry skipped",
        dn: `uid=u${i},dc=example,dc=com`,
      });
    }
    expect(errors.listed).toHaveLength(MAX_LISTED_SYNC_ERRORS);
    expect(errors.listed[0]?.dn).toBe("uid=u0,dc=example,dc=com");
    expect(errors.count).toBe(65_535);
    expect(errors.counts).toEqual({ domain_not_internal: 32_768, address_invalid: 32_767 });
  });
});
