import { describe, expect, it } from "vitest";
import { writeCsv } from "../sheet/csv/write-csv.js";
import { buildErrorReport } from "./error-report.js";

const at = (code: string, message: string, cell: string | null = "B2") => ({
  code,
  cell,
  row: cell === null ? null : 2,
  column: cell === null ? null : "B",
  message,
});

describe("the error report", () => {
  it("lists errors, then warnings marked as such, every formula-like text cell neutralised", () => {
    const rows = buildErrorReport(
      [
        at("email_invalid", '=HYPERLINK("http://x")'),
        at("name_required", "+1 is new"),
        at("alias_invalid", "-2 is not"),
        at("yes_no_invalid", "@SUM(A1)"),
        at("yes_no_invalid", "\t=1"),
        at("yes_no_invalid", "\r=1"),
      ],
      [at("users_become_imported", "2 users change type", null)],
    );
    expect(rows[0]).toEqual(["Cell", "Row", "Column", "Code", "Message", "Severity"]);
    expect(rows.slice(1).map((r) => r[4])).toEqual([
      '\'=HYPERLINK("http://x")',
      "'+1 is new",
      "'-2 is not",
      "'@SUM(A1)",
      "'\t=1",
      "'\r=1",
      "2 users change type",
    ]);
    expect(rows.at(-1)).toEqual(["", null, "", "users_become_imported", "2 users change type", "Warning"]);
    expect(rows[1]?.slice(0, 4)).toEqual(["B2", 2, "B", "email_invalid"]);
  });

  it("writes RFC 4180 CSV with a UTF-8 BOM, quotes doubled and CRLF line ends", () => {
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
      writeCsv([
        ["a", 1, null],
        ['say "hi", then\nleave', 2, "ü"],
      ]),
    );
    expect(text).toBe('\uFEFF"a",1,\r\n"say ""hi"", then\nleave",2,"ü"\r\n');
  });
});

describe("the error report of an import with more issues than it lists", () => {
  const many = (n: number, code: string) =>
    Array.from({ length: n }, (_, i) => ({ ...at(code, "m", `C${i + 2}`), row: i + 2, column: "C" }));

  it("lists at most the first 1,000 errors, then one row with how many more by code", () => {
    const errors = [...many(900, "yes_no_invalid"), ...many(100, "alias_invalid")];
    const rows = buildErrorReport(errors, [], {
      errorCount: 5000,
      warningCount: 0,
      errorCounts: { yes_no_invalid: 3000, alias_invalid: 2000 },
      warningCounts: {},
    });
    expect(rows).toHaveLength(1 + 1000 + 1);
    const last = rows[rows.length - 1] ?? [];
    expect(last[5]).toBe("Error");
    expect(String(last[4])).toContain("4000");
    expect(String(last[4])).toContain("yes_no_invalid 2100");
    expect(String(last[4])).toContain("alias_invalid 1900");
  });

  it("bounds a record that listed every error (before the counts), counting the rest itself", () => {
    const rows = buildErrorReport(many(65_535, "domain_not_internal"), []);
    expect(rows).toHaveLength(1 + 1000 + 1);
    expect(String(rows[1001]?.[4])).toContain("64535");
  });
});
