import { describe, expect, it } from "vitest";
import { cellRef, columnName, parseCellRef } from "./cell-ref.js";

describe("A1 references", () => {
  it("names columns and cells", () => {
    expect(columnName(0)).toBe("A");
    expect(columnName(12)).toBe("M");
    expect(columnName(25)).toBe("Z");
    expect(columnName(26)).toBe("AA");
    expect(columnName(255)).toBe("IV");
    expect(cellRef(98, 12)).toBe("M99");
    expect(cellRef(65535, 0)).toBe("A65536");
  });

  it("parses references back", () => {
    expect(parseCellRef("M99")).toEqual({ row: 98, col: 12 });
    expect(parseCellRef("iv1")).toEqual({ row: 0, col: 255 });
    expect(parseCellRef("A0")).toBeUndefined();
    expect(parseCellRef("1A")).toBeUndefined();
  });
});
