import { describe, expect, it } from "vitest";
import { readXls } from "../sheet/xls/read-xls.js";
import { writeXls } from "../sheet/xls/write-xls.js";
import { analyzeSheets } from "./analyze-sheet.js";
import { IMPORT_TEMPLATE_HEADERS, importTemplateSheets, INSTRUCTIONS_SHEET } from "./import-template.js";

describe("import template", () => {
  const sheets = importTemplateSheets();

  it("explains every column, marks the required ones and shows an example row", () => {
    const instructions = sheets.find((s) => s.name === INSTRUCTIONS_SHEET)?.rows ?? [];
    for (const header of IMPORT_TEMPLATE_HEADERS) {
      expect(instructions.some((row) => row[0] === header)).toBe(true);
    }
    expect(instructions.find((row) => row[0] === "email")?.[1]).toBe("REQUIRED");
    const example = instructions.at(-1) ?? [];
    expect(instructions.at(-2)).toEqual([...IMPORT_TEMPLATE_HEADERS]);
    expect(example[0]).toMatch(/@/);
  });

  it("reads as a header only, and imports once a row is added", () => {
    const blank = analyzeSheets(readXls(writeXls(sheets), { fileName: "t.xls" }).sheets);
    expect(blank).toMatchObject({ sheet: "Users", checkpoint: "A1", dataRows: 0 });
    const users = sheets[0];
    const filled = writeXls([
      { name: users?.name ?? "Users", rows: [...(users?.rows ?? []), ["a@example.com", "A"]] },
      ...sheets.slice(1),
    ]);
    const analysis = analyzeSheets(readXls(filled, { fileName: "t.xls" }).sheets);
    expect(analysis.issues).toEqual([]);
    expect(analysis.rows.map((r) => r.email.address)).toEqual(["a@example.com"]);
  });
});
