import { describe, expect, it } from "vitest";
import { checkWithBothReaders } from "./test-support/read-back.js";
import { readRecords, workbookStream } from "./test-support/strict-cfb.js";
import { writeXls, type XlsSheetInput } from "./write-xls.js";

const UNICODE_SAMPLES = [
  "Ünïcödé café",
  "日本語のテキスト",
  "Привет, мир",
  "smile 😀 here",
  "😀",
  "Ωmega",
  "ÿ",
];

function dateSamples(date1904: boolean): Date[] {
  const dates = [
    new Date(Date.UTC(2024, 1, 29)), // midnight, leap day
    new Date(Date.UTC(2024, 1, 29, 13, 45, 30)),
    new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
    new Date(Date.UTC(1970, 0, 1, 12)),
    new Date(Date.UTC(1904, 0, 2)),
    new Date(Date.UTC(9999, 11, 31)),
  ];
  // Before 1900-03-01 the 1900 system is off by Excel's phantom 1900-02-29.
  if (!date1904)
    dates.push(
      new Date(Date.UTC(1900, 0, 1)),
      new Date(Date.UTC(1900, 1, 28, 6)),
      new Date(Date.UTC(1900, 2, 1)),
    );
  return dates;
}

describe("writeXls", () => {
  it("writes one sheet of text, numbers, booleans and empty strings", () => {
    const sheets: XlsSheetInput[] = [
      {
        name: "Users",
        rows: [
          ["email", "name", "quota", "active"],
          ["ana@example.com", "Ana", 10, true],
          ["bo@example.com", "", 0.1, false],
          ["", null, -3, undefined, "after a gap"],
          [null, "numbers", 1e-7, 442079460000, -0.5, 0, 2 ** 53 - 1, -1e308],
        ],
      },
    ];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "one sheet");
  });

  it("writes several sheets, a hidden one, a header at M99 and cells at the limits", () => {
    const sheets: XlsSheetInput[] = [
      { name: "Hidden first", hidden: true, rows: [["secret", 1]] },
      {
        name: "Import",
        origin: "M99",
        rows: [["email", "first name"], [], [null, null], ["x@example.com", "X"], [], ["y@example.com"]],
        cells: { A1: "title above blank rows", N120: "below", o99: "lower-case ref" },
      },
      { name: "Limits", cells: { A65536: "last row", IV1: "last column", IV65536: 65536 * 256 } },
      { name: "Empty" },
      { name: "Unicode Ж 😀", rows: [UNICODE_SAMPLES] },
    ];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "several sheets");

    // BoundSheet8.lbPlyPos points at each sheet's BOF (MS-XLS 2.4.28).
    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const bof = records[0];
    expect(bof?.type).toBe(0x0809);
    expect([bof?.data.readUInt16LE(0), bof?.data.readUInt16LE(2)]).toEqual([0x0600, 0x0005]);
    const boundSheets = records.filter((r) => r.type === 0x0085);
    expect(boundSheets.map((r) => r.data[4])).toEqual([1, 0, 0, 0, 0]);
    for (const r of boundSheets) {
      const pos = r.data.readUInt32LE(0);
      expect([stream.readUInt16LE(pos), stream.readUInt16LE(pos + 4), stream.readUInt16LE(pos + 6)]).toEqual([
        0x0809, 0x0600, 0x0010,
      ]);
    }
    // WINDOW1 makes the first visible sheet active; only its WINDOW2 is selected.
    const window1 = records.find((r) => r.type === 0x003d);
    expect(window1?.data.readUInt16LE(10)).toBe(1);
    const selected = records.filter((r) => r.type === 0x023e).map((r) => ((r.data[1] ?? 0) & 0x02) !== 0);
    expect(selected).toEqual([false, true, false, false, false]);
  });

  it("writes Unicode text in compressed and UTF-16 form", () => {
    const sheets: XlsSheetInput[] = [
      { name: "Text", rows: UNICODE_SAMPLES.map((s) => [s, s.length]), cells: { C1: "\u00e9\u00e8\u00ff" } },
    ];
    checkWithBothReaders(writeXls(sheets), sheets, "unicode");
  });

  for (const dateMode of [1900, 1904] as const) {
    it(`writes dates in the ${dateMode} date system with date formats`, () => {
      const dates = dateSamples(dateMode === 1904);
      const sheets: XlsSheetInput[] = [
        {
          name: "Dates",
          rows: dates.map((d, i) => [d, i]),
          cells: { D1: new Date(Date.UTC(2000, 0, 1, 0, 0, 1)) },
        },
      ];
      const bytes = writeXls(sheets, { dateMode });
      checkWithBothReaders(bytes, sheets, `dates ${dateMode}`, dateMode === 1904);
    });
  }

  it("rejects what Excel cannot hold", () => {
    const attempt = (sheets: XlsSheetInput[]) => () => writeXls(sheets);
    expect(attempt([])).toThrow(Error);
    expect(attempt([{ name: "A", cells: { A65537: 1 } }])).toThrow(/outside/);
    expect(attempt([{ name: "A", cells: { IW1: 1 } }])).toThrow(/outside/);
    expect(attempt([{ name: "A", cells: { "1A": 1 } }])).toThrow(/A1 reference/);
    expect(attempt([{ name: "A", origin: "IV1", rows: [[1, 2]] }])).toThrow(/outside/);
    expect(attempt([{ name: "A", origin: "A65536", rows: [[1], [2]] }])).toThrow(/outside/);
    expect(attempt([{ name: "x".repeat(32) }])).toThrow(/1\.\.31/);
    expect(attempt([{ name: "" }])).toThrow(/1\.\.31/);
    expect(attempt([{ name: "a/b" }])).toThrow(/forbids/);
    expect(attempt([{ name: "Same" }, { name: "SAME" }])).toThrow(/duplicate/);
    expect(attempt([{ name: "A", rows: [["x".repeat(32_768)]] }])).toThrow(/32767/);
    expect(attempt([{ name: "A", rows: [[Number.NaN]] }])).toThrow(/cannot be stored/);
    expect(attempt([{ name: "A", rows: [[new Date(Number.NaN)]] }])).toThrow(/date/);
    expect(attempt([{ name: "A", rows: [[new Date(Date.UTC(1899, 0, 1))]] }])).toThrow(/date/);
    expect(attempt([{ name: "A", hidden: true }])).toThrow(/visible/);
    expect(attempt([{ name: "A", rows: [[1]], cells: { A1: 2 } }])).toThrow(/both/);
    expect(attempt([{ name: "A", cells: { a1: 1, A1: 2 } }])).toThrow(/twice/);
    expect(() =>
      writeXls([{ name: "A", rows: [[new Date(Date.UTC(1903, 0, 1))]] }], { dateMode: 1904 }),
    ).toThrow(/date/);
    // The longest legal text and the last cell are fine.
    expect(() =>
      writeXls([{ name: "A", rows: [["x".repeat(32_767)]], cells: { IV65536: 1 } }]),
    ).not.toThrow();
  });
});
