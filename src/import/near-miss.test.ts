import { describe, expect, it } from "vitest";
import { editDistance, nearestHeader } from "./near-miss.js";

const KNOWN = ["email", "name", "password", "alias1", "alias2", "passwordneverexpire", "pop"];

describe("editDistance", () => {
  it("counts inserts, deletes, changes and neighbour swaps as one edit each", () => {
    expect(editDistance("email", "email")).toBe(0);
    expect(editDistance("emial", "email")).toBe(1);
    expect(editDistance("emai", "email")).toBe(1);
    expect(editDistance("emails", "email")).toBe(1);
    expect(editDistance("enail", "email")).toBe(1);
    expect(editDistance("department", "email")).toBeGreaterThan(2);
  });

  it("stops early past the limit", () => {
    expect(editDistance("abcdefgh", "zyxwvuts", 2)).toBe(3);
  });
});

describe("nearestHeader", () => {
  it("finds the header a typo was meant to be", () => {
    expect(nearestHeader("emial", KNOWN)).toBe("email");
    expect(nearestHeader("alias 1", KNOWN)).toBe("alias1");
    expect(nearestHeader("Pasword", KNOWN)).toBe("password");
    expect(nearestHeader("password never expires", KNOWN)).toBe("passwordneverexpire");
  });

  it("leaves real attribute names alone", () => {
    for (const header of ["department", "office", "cost center", "title", "mobile", ""]) {
      expect(nearestHeader(header, KNOWN)).toBeUndefined();
    }
  });
});
