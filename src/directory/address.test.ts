import { describe, expect, it } from "vitest";
import { addressKey, normalizeDomain, parseAddress, tryParseAddress } from "./address.js";

describe("tryParseAddress", () => {
  it("keeps the local part's case but lower-cases the domain and the key", () => {
    expect(tryParseAddress(" Jane.Doe@Example.COM ")).toEqual({
      address: "Jane.Doe@example.com",
      key: "jane.doe@example.com",
      domain: "example.com",
    });
  });

  it.each([
    "",
    "jane",
    "@example.com",
    "jane@",
    "jane@example",
    "ja ne@example.com",
    "jane..doe@example.com",
    "jane@exa_mple.com",
    "jane@-example.com",
    "jane@example.com.",
    "jane@1.2.3.4",
    `${"a".repeat(65)}@example.com`,
  ])("refuses %j", (text) => {
    expect(tryParseAddress(text)).toBeUndefined();
  });

  it("accepts plus addressing and sub-domains", () => {
    expect(tryParseAddress("a+b@mail.example.co.uk")?.key).toBe("a+b@mail.example.co.uk");
  });
});

describe("parseAddress", () => {
  it("throws address_invalid", () => {
    expect(() => parseAddress("not an address")).toThrow(
      expect.objectContaining({ code: "address_invalid" }),
    );
  });
});

describe("normalizeDomain and addressKey", () => {
  it("normalise case and surrounding space", () => {
    expect(normalizeDomain(" Example.ORG. ")).toBe("example.org");
    expect(normalizeDomain("localhost")).toBeUndefined();
    expect(addressKey(" A@B.c ")).toBe("a@b.c");
  });
});
