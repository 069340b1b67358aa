import { describe, expect, it } from "vitest";
import { readXls } from "../sheet/xls/read-xls.js";
import { writeXls, type XlsSheetInput, type XlsValue } from "../sheet/xls/write-xls.js";
import { analyzeSheets } from "./analyze-sheet.js";
import type { ImportIssue } from "./import-issue.js";

function analyze(sheets: XlsSheetInput[]): ReturnType<typeof analyzeSheets> {
  return analyzeSheets(readXls(writeXls(sheets), { fileName: "t.xls" }).sheets);
}

const rowsSheet = (rows: XlsValue[][], origin = "A1"): XlsSheetInput[] => [{ name: "Users", rows, origin }];
const codes = (issues: readonly ImportIssue[]): [string, string | null][] =>
  issues.map((i) => [i.code, i.cell]);

describe("checkpoint", () => {
  it("finds email at A1", () => {
    const result = analyze(
      rowsSheet([
        ["email", "name"],
        ["a@example.com", "A"],
      ]),
    );
    expect(result).toMatchObject({ sheet: "Users", checkpoint: "A1", dataRows: 1, issues: [] });
  });

  it("finds email at M99, the last cell of the area, trimmed", () => {
    const result = analyze([
      { name: "S", cells: { M99: " email ", N99: "name", M100: "a@example.com", N100: "A" } },
    ]);
    expect(result.checkpoint).toBe("M99");
    expect(result.rows.map((r) => r.email.address)).toEqual(["a@example.com"]);
  });

  it("refuses email at N1 and at A100, outside A1:M99, and says where it is", () => {
    for (const ref of ["N1", "A100"]) {
      const result = analyze([{ name: "S", cells: { [ref]: "email" } }]);
      expect(result.checkpoint).toBeNull();
      expect(codes(result.issues)).toEqual([
        ["checkpoint_not_found", null],
        ["checkpoint_near_miss", ref],
      ]);
    }
  });

  it("reports near misses such as Email and EMAIL", () => {
    const result = analyze([{ name: "S", cells: { B3: "Email", C4: "EMAIL " } }]);
    expect(codes(result.issues)).toEqual([
      ["checkpoint_not_found", null],
      ["checkpoint_near_miss", "B3"],
      ["checkpoint_near_miss", "C4"],
    ]);
  });

  it("takes the first sheet in workbook order that has one, scanning row by row", () => {
    const result = analyzeSheets(
      readXls(
        writeXls([
          { name: "Notes", rows: [["nothing here"]] },
          { name: "Second", cells: { C2: "email", D2: "name", B3: "email" } },
        ]),
        { fileName: "t.xls" },
      ).sheets,
    );
    expect(result).toMatchObject({ sheet: "Second", checkpoint: "C2" });
  });
});

describe("header row", () => {
  it("maps known headers, aliases and custom attributes up to the first gap, warning about data beyond", () => {
    const result = analyze(
      rowsSheet([
        ["email", "name", "password", "pop", "alias1", "alias10", "Department", null, "stray"],
        ["a@example.com", "A", "x", "yes", "b@example.com", "", "Sales", null, "more"],
      ]),
    );
    const map = result.map;
    expect(map).toMatchObject({ email: 0, name: 1, password: 2, lastCol: 6 });
    expect(map?.aliases).toEqual([
      { col: 4, index: 1 },
      { col: 5, index: 10 },
    ]);
    expect(map?.attributes).toEqual([{ col: 6, name: "Department", key: "department" }]);
    expect(codes(result.issues)).toEqual([["header_gap_ignored", "H1"]]);
    expect(result.issues[0]?.severity).toBe("warning");
  });

  const headerCases: [string, XlsValue[], [string, string][]][] = [
    [
      "name not right of email",
      ["email", "title", "name"],
      [
        ["header_name_missing", "B1"],
        ["header_name_missing", "C1"],
      ],
    ],
    ["nothing right of email", ["email"], [["header_name_missing", "B1"]]],
    ["password elsewhere", ["email", "name", "pop", "password"], [["header_password_misplaced", "D1"]]],
    [
      "near misses",
      ["email", "name", "Alias1", "POP", "alias 2"],
      [
        ["header_near_miss", "C1"],
        ["header_near_miss", "D1"],
        ["header_near_miss", "E1"],
      ],
    ],
    ["alias11", ["email", "name", "alias11"], [["header_alias_out_of_range", "C1"]]],
    ["repeated header", ["email", "name", "pop", "pop"], [["header_duplicate", "D1"]]],
    ["repeated attribute", ["email", "name", "Dept", "dept"], [["header_duplicate", "D1"]]],
    ["second email", ["email", "name", "email"], [["header_duplicate", "C1"]]],
  ];
  it.each(headerCases)("fails on %s, naming the cell", (_, header, expected) => {
    const result = analyze(rowsSheet([header, ["a@example.com", "A"]]));
    expect(codes(result.issues)).toEqual(expected);
    expect(result.rows).toEqual([]);
  });
});

describe("rows and cells", () => {
  const header = ["email", "name", "password", "pop", "submit", "alias1", "alias2", "costcentre"];

  it("parses yes/no in every accepted spelling and Boolean cells, and keeps attribute text", () => {
    const result = analyze(
      rowsSheet([
        header,
        ["a@example.com", "A", null, "Yes", true, null, null, "007"],
        [],
        ["b@example.com", null, null, "n", "0", null, null, 1234567890123],
        ["c@example.com", null, null, "TRUE", "1", null, null, null],
        ["d@example.com", null, null, "y", false],
      ]),
    );
    expect(result.issues).toEqual([]);
    expect(result.dataRows).toBe(4);
    expect(result.rows.map((r) => [r.email.key, Object.fromEntries(r.flags)])).toEqual([
      ["a@example.com", { pop: true, submit: true }],
      ["b@example.com", { pop: false, submit: false }],
      ["c@example.com", { pop: true, submit: true }],
      ["d@example.com", { pop: true, submit: false }],
    ]);
    expect(result.rows[0]?.attributes).toEqual([
      { key: "costcentre", name: "costcentre", value: "007", col: 7 },
    ]);
    expect(result.rows[1]?.attributes[0]?.value).toBe("1234567890123");
  });

  it("reports every cell mistake, naming the cell (and the earlier cell for duplicates)", () => {
    const result = analyze(
      rowsSheet([
        header,
        ["a@example.com", "A", null, "maybe"],
        [null, "No Email"],
        ["b @example.com", "B"],
        ['"c@example.com"', "C"],
        ["not-an-address", "D"],
        ["A@EXAMPLE.COM", "A again"],
        ["e@example.com", "E", null, null, null, "e@example.com", "bad alias"],
        ["f@example.com", "F", null, null, null, "shared@example.com"],
        ["g@example.com", "G", null, null, null, "shared@example.com"],
        ["f.alias@example.com", "FA"],
      ]),
    );
    expect(codes(result.issues)).toEqual([
      ["yes_no_invalid", "D2"],
      ["row_email_missing", "A3"],
      ["email_invalid", "A4"],
      ["email_invalid", "A5"],
      ["email_invalid", "A6"],
      ["email_duplicate", "A7"],
      ["alias_is_primary", "F8"],
      ["alias_invalid", "G8"],
      ["alias_duplicate", "F10"],
    ]);
    expect(result.issues.find((i) => i.code === "email_duplicate")?.message).toContain("A2");
    expect(result.issues.find((i) => i.code === "alias_duplicate")?.message).toContain("F9");
    expect(result.issues[0]).toMatchObject({ row: 2, column: "D", severity: "error" });
  });

  it("reads a sheet whose header starts at D5, ignoring columns left of it", () => {
    const result = analyze(
      rowsSheet(
        [
          ["email", "name"],
          ["a@example.com", "A"],
        ],
        "D5",
      ),
    );
    expect(result.checkpoint).toBe("D5");
    expect(result.rows[0]).toMatchObject({ row: 5, name: "A" });
  });

  it("warns when the sheet holds no rows", () => {
    expect(codes(analyze(rowsSheet([["email", "name"]])).issues)).toEqual([["import_no_rows", null]]);
  });
});
