import { describe, expect, it } from "vitest";
import { parseNoteText } from "./note.js";

describe("parseNoteText", () => {
  it("allows up to 100 characters", () => {
    expect(parseNoteText(` ${"x".repeat(100)} `)).toHaveLength(100);
    expect(() => parseNoteText("x".repeat(101))).toThrow(expect.objectContaining({ code: "note_invalid" }));
    expect(() => parseNoteText("  ")).toThrow(expect.objectContaining({ code: "note_invalid" }));
  });
});
