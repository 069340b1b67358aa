import { describe, expect, it } from "vitest";
import { parseAttributeName } from "./attribute-name.js";

describe("parseAttributeName", () => {
  it("matches ignoring case and surrounding spaces", () => {
    expect(parseAttributeName("Department").key).toBe(parseAttributeName(" department ").key);
    expect(parseAttributeName("  Cost   Centre ").name).toBe("Cost Centre");
  });

  it("refuses an empty name", () => {
    expect(() => parseAttributeName("   ")).toThrow(
      expect.objectContaining({ code: "attribute_name_invalid" }),
    );
  });
});
