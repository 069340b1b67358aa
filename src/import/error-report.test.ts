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
