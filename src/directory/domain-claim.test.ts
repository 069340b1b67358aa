import { describe, expect, it } from "vitest";
import { findDomainConflict, listParentDomains } from "./domain-claim.js";

describe("domain claims", () => {
  it("lists every parent domain of two labels or more", () => {
    expect(listParentDomains("a.b.acme.test")).toEqual(["b.acme.test", "acme.test"]);
    expect(listParentDomains("acme.test")).toEqual([]);
  });

  it("lets a tree nest its own domains", () => {
    expect(findDomainConflict("eu.acme.test", "acme", [{ name: "acme.test", rootAccountId: "acme" }])).toBe(
      undefined,
    );
    expect(findDomainConflict("acme.test", "acme", [{ name: "eu.acme.test", rootAccountId: "acme" }])).toBe(
      undefined,
    );
    expect(findDomainConflict("acme.test", "acme", [])).toBeUndefined();
  });

  it("refuses the same name anywhere, and a parent or subdomain held by another tree", () => {
    expect(findDomainConflict("acme.test", "acme", [{ name: "acme.test", rootAccountId: "acme" }])).toEqual({
      kind: "taken",
    });
    expect(findDomainConflict("acme.test", "other", [{ name: "acme.test", rootAccountId: "acme" }])).toEqual({
      kind: "taken",
    });
    expect(
      findDomainConflict("sub.acme.test", "other", [{ name: "acme.test", rootAccountId: "acme" }]),
    ).toEqual({ kind: "held_elsewhere" });
    expect(
      findDomainConflict("acme.test", "other", [{ name: "x.y.acme.test", rootAccountId: "acme" }]),
    ).toEqual({ kind: "held_elsewhere" });
    // A tree that could not be walked counts as another tree.
    expect(
      findDomainConflict("sub.acme.test", "acme", [{ name: "acme.test", rootAccountId: undefined }]),
    ).toEqual({ kind: "held_elsewhere" });
  });

  it("does not mistake a longer label for a subdomain", () => {
    expect(
      findDomainConflict("acme.test", "other", [{ name: "notacme.test", rootAccountId: "acme" }]),
    ).toBeUndefined();
    expect(
      findDomainConflict("notacme.test", "other", [{ name: "acme.test", rootAccountId: "acme" }]),
    ).toBeUndefined();
  });
});
