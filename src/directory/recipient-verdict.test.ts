import { describe, expect, it } from "vitest";
import { decideRecipient, parseUnknownRecipientAction } from "./recipient-verdict.js";

describe("decideRecipient", () => {
  const defer = { unknownAction: "defer" } as const;
  it("accept-all accepts anyone", () => {
    expect(decideRecipient({ mode: "accept-all", ...defer }, undefined).smtpCode).toBe(250);
  });
  it("known-recipients accepts any type, and defers or rejects the unknown per the account", () => {
    for (const type of ["directory", "imported", "manual"] as const) {
      expect(decideRecipient({ mode: "known-recipients", ...defer }, type).verdict).toBe("accept");
    }
    expect(decideRecipient({ mode: "known-recipients", ...defer }, undefined)).toMatchObject({
      verdict: "defer",
      smtpCode: 451,
      enhancedCode: "4.1.1",
    });
    expect(decideRecipient({ mode: "known-recipients", unknownAction: "reject" }, undefined)).toMatchObject({
      verdict: "reject",
      smtpCode: 550,
      enhancedCode: "5.1.1",
    });
  });
  it("directory-users accepts only Directory Users", () => {
    expect(decideRecipient({ mode: "directory-users", ...defer }, "directory").verdict).toBe("accept");
    expect(decideRecipient({ mode: "directory-users", ...defer }, "imported").verdict).toBe("defer");
    expect(decideRecipient({ mode: "directory-users", ...defer }, "manual").verdict).toBe("defer");
  });
  it("rejects a domain that is not internal", () => {
    expect(decideRecipient(undefined, "directory").smtpCode).toBe(550);
  });
  it("parses the account's action", () => {
    expect(parseUnknownRecipientAction("reject")).toBe("reject");
    expect(() => parseUnknownRecipientAction("bounce")).toThrow(
      expect.objectContaining({ code: "unknown_recipient_action_invalid" }),
    );
  });
});
