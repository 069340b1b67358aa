import { describe, expect, it } from "vitest";
import { isCommonPassword, loadCommonPasswords } from "./common-passwords.js";

describe("common passwords", () => {
  it("ships a list of a few thousand and compares in lower case", () => {
    expect(loadCommonPasswords().size).toBeGreaterThan(3000);
    expect(isCommonPassword("Password1")).toBe(true);
    expect(isCommonPassword("Welcome2024!")).toBe(false);
    expect(isCommonPassword("welcome2024")).toBe(true);
    expect(isCommonPassword("Tangerine-walk-42")).toBe(false);
  });
});
