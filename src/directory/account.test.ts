import { describe, expect, it } from "vitest";
import { mayNest, parseAccountCode, parseAccountKind, parseRecipientValidation } from "./account.js";

describe("accounts", () => {
  it("parses codes with a case-insensitive key", () => {
    expect(parseAccountCode(" CxAy ")).toEqual({ code: "CxAy", key: "cxay" });
    expect(() => parseAccountCode("a b")).toThrow(expect.objectContaining({ code: "account_code_invalid" }));
  });

  it("nests grouping and mail-processing accounts only under masters, groupings or standalones", () => {
    expect(mayNest("master", "grouping")).toBe(true);
    expect(mayNest("grouping", "mail-processing")).toBe(true);
    expect(mayNest("mail-processing", "grouping")).toBe(false);
    expect(mayNest("master", "master")).toBe(false);
    expect(mayNest("standalone", "mail-processing")).toBe(true);
  });

  it("refuses unknown kinds and modes", () => {
    expect(() => parseAccountKind("child")).toThrow(
      expect.objectContaining({ code: "account_kind_invalid" }),
    );
    expect(() => parseRecipientValidation("all")).toThrow(
      expect.objectContaining({ code: "recipient_validation_invalid" }),
    );
  });
});
