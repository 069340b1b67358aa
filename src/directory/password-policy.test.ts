import { describe, expect, it } from "vitest";
import {
  DEFAULT_PASSWORD_POLICY,
  assertPasswordAcceptable,
  checkPassword,
  computePasswordExpiry,
  describePasswordRules,
  validatePasswordPolicy,
} from "./password-policy.js";

const common = new Set(["password1", "qwerty123"]);
const isCommon = (pw: string): boolean => common.has(pw.toLowerCase());

describe("checkPassword", () => {
  it("accepts a long password of three classes under the default policy", () => {
    expect(checkPassword(DEFAULT_PASSWORD_POLICY, "Tangerine-walk", isCommon)).toEqual([]);
  });

  it("returns every broken rule", () => {
    const strict = {
      ...DEFAULT_PASSWORD_POLICY,
      minLength: 12,
      requireUpper: true,
      requireDigit: true,
      requireSymbol: true,
      minClasses: 4,
    };
    expect(checkPassword(strict, "abc", isCommon)).toEqual([
      "password_too_short",
      "password_needs_upper",
      "password_needs_digit",
      "password_needs_symbol",
      "password_needs_classes",
    ]);
  });

  it("refuses common passwords whatever their case", () => {
    expect(checkPassword(DEFAULT_PASSWORD_POLICY, "Password1", isCommon)).toEqual(["password_too_common"]);
    expect(checkPassword({ ...DEFAULT_PASSWORD_POLICY, refuseCommon: false }, "Password1", isCommon)).toEqual(
      [],
    );
  });

  it("counts non-ASCII letters by case and lower-case only passwords as one class", () => {
    expect(checkPassword(DEFAULT_PASSWORD_POLICY, "Ünïcödé-wörd", isCommon)).toEqual([]);
    expect(checkPassword(DEFAULT_PASSWORD_POLICY, "abcdefghij", isCommon)).toEqual([
      "password_needs_classes",
    ]);
  });

  it("throws password_weak with the rules in details", () => {
    expect(() => {
      assertPasswordAcceptable(DEFAULT_PASSWORD_POLICY, "short", isCommon);
    }).toThrow(
      expect.objectContaining({
        code: "password_weak",
        details: { rules: ["password_too_short", "password_needs_classes"] },
      }),
    );
  });
});

describe("policy values", () => {
  it("refuses out-of-range values", () => {
    expect(() => validatePasswordPolicy({ ...DEFAULT_PASSWORD_POLICY, minClasses: 5 })).toThrow(
      expect.objectContaining({ code: "policy_invalid", details: { field: "minClasses" } }),
    );
  });

  it("computes expiry, never when max age is 0 or the user's password never expires", () => {
    const setAt = new Date("2024-01-01T00:00:00Z");
    expect(computePasswordExpiry(DEFAULT_PASSWORD_POLICY, setAt, false)).toBeUndefined();
    const policy = { ...DEFAULT_PASSWORD_POLICY, maxAgeDays: 90 };
    expect(computePasswordExpiry(policy, setAt, false)?.toISOString()).toBe("2024-03-31T00:00:00.000Z");
    expect(computePasswordExpiry(policy, setAt, true)).toBeUndefined();
  });
});

describe("describePasswordRules", () => {
  it("lists every rule in force by the code checkPassword reports, and only those", () => {
    const policy = { ...DEFAULT_PASSWORD_POLICY, requireDigit: true, minClasses: 0, refuseCommon: false };
    expect(describePasswordRules(policy).map((r) => r.code)).toEqual([
      "password_too_short",
      "password_too_long",
      "password_needs_digit",
    ]);
    const codes = new Set(describePasswordRules(DEFAULT_PASSWORD_POLICY).map((r) => r.code));
    for (const code of checkPassword(DEFAULT_PASSWORD_POLICY, "password1", isCommon)) {
      expect(codes.has(code)).toBe(true);
    }
  });
});
