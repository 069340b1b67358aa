import { describe, expect, it } from "vitest";
import { listPathChain, parseGroupPath } from "./group-path.js";

describe("parseGroupPath", () => {
  it("trims segments and slashes", () => {
    expect(parseGroupPath(" /Staff / London/ ")).toEqual({
      segments: ["Staff", "London"],
      path: "Staff/London",
      key: "staff/london",
    });
  });

  it.each(["", "/", "Staff//London", "  "])("refuses %j", (text) => {
    expect(() => parseGroupPath(text)).toThrow(expect.objectContaining({ code: "group_path_invalid" }));
  });

  it("lists the chain of parents", () => {
    expect(listPathChain(parseGroupPath("A/B/C")).map((p) => p.path)).toEqual(["A", "A/B", "A/B/C"]);
  });
});
