import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { writeCfb } from "./cfb-write.js";
import { readXls } from "./read-xls.js";
import { checkWithBothReaders, readWithSheetJs, readWithXlrd, XL_NUMBER } from "./test-support/read-back.js";
import { readCfbStrictly } from "./test-support/strict-cfb.js";
import { writeXls, type XlsSheetInput, type XlsValue } from "./write-xls.js";

describe("writeXls", () => {
  it("keeps the CFB container valid for a small file (mini stream)", () => {
    const bytes = writeXls([{ name: "Tiny", rows: [["a", 1]] }]);
    const cfb = readCfbStrictly(bytes);
    const stream = cfb.streams.get("Workbook");
    expect(stream?.length).toBeLessThan(4096);
    expect(cfb.header).toEqual({
      fatSectors: 1,
      difatSectors: 0,
      miniFatSectors: 1,
      sectorCount: cfb.header.sectorCount,
    });
    // FAT, directory, mini FAT and the mini stream's sectors, and nothing else.
    expect(cfb.header.sectorCount).toBe(3 + Math.ceil(Math.ceil((stream?.length ?? 0) / 64) / 8));
    expect(bytes.length).toBe(512 * (1 + cfb.header.sectorCount));
  });

  it("packs several streams, small and large, under a valid red-black directory tree", () => {
    for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 13]) {
      const sizes = [0, 10, 4095, 4096, 5000, 64];
      const streams = Array.from({ length: count }, (_, i) => ({
        name: `${"s".repeat(i % 3)}Stream${i}`,
        content: Buffer.alloc(sizes[i % sizes.length] ?? 0, i + 1),
      }));
      const cfb = readCfbStrictly(writeCfb(streams));
      for (const s of streams)
        expect(cfb.streams.get(s.name)?.equals(s.content), `${count}: ${s.name}`).toBe(true);
    }
    expect(() =>
      writeCfb([
        { name: "A", content: new Uint8Array(1) },
        { name: "a", content: new Uint8Array(1) },
      ]),
    ).toThrow(/duplicate/);
  });

  it("writes a 20,000 x 16 sheet (a FAT of many sectors, no DIFAT)", () => {
    const departments = ["Sales", "Support", "Engineering", "Finance", "Legal", "Ops", "HR", "R&D"];
    const rows: XlsValue[][] = [];
    for (let r = 0; r < 20_000; r++) {
      const row: XlsValue[] = [`user${r}@example.com`, departments[r % 8], r, r % 2 === 0];
      for (let c = 4; c < 16; c++) row.push(c % 3 === 0 ? `tag ${(r * c) % 50}` : (r * c) / 4);
      rows.push(row);
    }
    rows[1234] = [new Date(Date.UTC(2023, 5, 1))];
    const sheets: XlsSheetInput[] = [{ name: "Big", rows }];
    const bytes = writeXls(sheets);
    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.fatSectors).toBeGreaterThan(50);
    expect(cfb.header.fatSectors).toBeLessThanOrEqual(109);
    expect(cfb.header.difatSectors).toBe(0);
    checkWithBothReaders(bytes, sheets, "20,000 x 16");
  });

  it("writes a file over 7 MB whose FAT needs DIFAT sectors", () => {
    const rowCount = 25_000;
    const rows: number[][] = [];
    let sum = 0;
    for (let r = 0; r < rowCount; r++) {
      const row: number[] = [];
      for (let c = 0; c < 16; c++) {
        row.push(r * 16 + c + 0.5);
        sum += r * 16 + c + 0.5;
      }
      rows.push(row);
    }
    const sheets: XlsSheetInput[] = [{ name: "Numbers", rows }];
    const bytes = writeXls(sheets);
    expect(bytes.length).toBeGreaterThan(7 * 1024 * 1024);
    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.fatSectors).toBeGreaterThan(109);
    expect(cfb.header.difatSectors).toBeGreaterThanOrEqual(1);

    const ours = readXls(bytes, { fileName: "difat.xls" }).sheets[0];
    let oursSum = 0;
    for (const cell of ours?.cells() ?? []) oursSum += Number(cell.value);
    expect([ours?.cellCount, oursSum]).toEqual([rowCount * 16, sum]);

    const wb = readWithSheetJs(bytes);
    const ws = wb.Sheets.Numbers;
    expect(ws?.["!ref"]).toBe(`A1:P${rowCount}`);
    let sheetJsSum = 0;
    let count = 0;
    for (const [key, cell] of Object.entries(ws ?? {})) {
      if (key.startsWith("!")) continue;
      sheetJsSum += Number((cell as XLSX.CellObject).v);
      count++;
    }
    expect([count, sheetJsSum]).toEqual([rowCount * 16, sum]);

    const samples: [number, number, number][] = [
      [0, 0, 0],
      [0, rowCount - 1, 15],
      [0, 12_345, 7],
    ];
    const book = readWithXlrd(bytes, "DIFAT file", samples);
    if (book) {
      const sh = book.sheets[0];
      expect([sh?.nrows, sh?.ncols, sh?.counts[String(XL_NUMBER)], sh?.numberSum]).toEqual([
        rowCount,
        16,
        rowCount * 16,
        sum,
      ]);
      expect(sh?.cells.map((c) => c[3])).toEqual(samples.map(([, r, c]) => r * 16 + c + 0.5));
    }
  });
});
