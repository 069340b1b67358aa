import { describe, expect, it } from "vitest";
import { mailServiceFlag, mayUseMailService } from "./mail-service-access.js";

describe("mail service access", () => {
  it("asks pop for pop3 and submit for smtp and submission", () => {
    expect(["pop3", "smtp", "submission"].map(mailServiceFlag)).toEqual(["pop", "submit", "submit"]);
  });

  it("refuses every other service, whatever the flags", () => {
    const all = { pop: true, submit: true };
    for (const service of ["imap", "sieve", "doveadm", "POP3", "", "toString", "__proto__"]) {
      expect([service, mayUseMailService(all, service)]).toEqual([service, false]);
    }
  });

  it("follows the flag of the service", () => {
    expect(mayUseMailService({ pop: true, submit: false }, "pop3")).toBe(true);
    expect(mayUseMailService({ pop: true, submit: false }, "smtp")).toBe(false);
    expect(mayUseMailService({ pop: false, submit: true }, "submission")).toBe(true);
    expect(mayUseMailService({ pop: false, submit: true }, "pop3")).toBe(false);
  });
});
