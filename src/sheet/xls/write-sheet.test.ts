import { describe, expect, it } from "vitest";
import { readXls } from "./read-xls.js";
import { readCfbStrictly, readRecords, workbookStream } from "./test-support/strict-cfb.js";
import { writeXls } from "./write-xls.js";

describe("writeXls", () => {
  it("writes row blocks with ROW, DBCell and Index records that point where they should", () => {
    const rows = Array.from({ length: 70 }, (_, r) => (r % 3 === 1 ? [] : [r, `row ${r}`]));
    const bytes = writeXls([{ name: "Blocks", rows, cells: { C200: "far" } }]);
    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const recordAt = new Map(records.map((r) => [r.pos, r]));
    const index = records.find((r) => r.type === 0x020b);
    if (!index) throw new Error("no Index");
    expect([index.data.readUInt32LE(4), index.data.readUInt32LE(8)]).toEqual([0, 200]);
    expect(recordAt.get(index.data.readUInt32LE(12))?.type).toBe(0x0055); // DefColWidth
    const dbCells = (index.data.length - 16) / 4;
    expect(dbCells).toBe(4); // rows 0-31, 32-63, 64-69, 199
    for (let b = 0; b < dbCells; b++) {
      const dbCellPos = index.data.readUInt32LE(16 + 4 * b);
      const dbCell = recordAt.get(dbCellPos);
      expect(dbCell?.type).toBe(0x00d7);
      if (!dbCell) continue;
      const firstRowPos = dbCellPos - dbCell.data.readUInt32LE(0);
      let cellPos = firstRowPos + 20;
      for (let k = 0; 4 + 2 * k < dbCell.data.length; k++) {
        const rowRecord = recordAt.get(firstRowPos + 20 * k);
        expect(rowRecord?.type).toBe(0x0208);
        cellPos += dbCell.data.readUInt16LE(4 + 2 * k);
        const cell = recordAt.get(cellPos);
        expect(cell?.data.readUInt16LE(0), "first cell of the row").toBe(rowRecord?.data.readUInt16LE(0));
        expect(cell?.data.readUInt16LE(2)).toBe(rowRecord?.data.readUInt16LE(2)); // colMic
      }
    }
  });

  it("writes the largest sheet the format holds: 65,535 rows x 16 text columns", () => {
    const rows: string[][] = [];
    for (let r = 0; r < 65_535; r++) {
      const row: string[] = [];
      for (let c = 0; c < 16; c++) row.push(`r${r}c${c}`);
      rows.push(row);
    }
    const bytes = writeXls([{ name: "Perf", rows }]);

    // Our reader reads it back whole; SheetJS and xlrd take 5-20 s on 28 MB, so they check the 7.7 MB file.
    const sheet = readXls(bytes, { fileName: "big.xls" }).sheets[0];
    expect(sheet?.cellCount).toBe(65_535 * 16);
    let mismatches = 0;
    for (const row of sheet?.rows() ?? []) {
      for (let c = 0; c < 16; c++) if (row.text(c) !== `r${row.row}c${c}`) mismatches++;
    }
    expect(mismatches).toBe(0);

    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.difatSectors).toBeGreaterThanOrEqual(1);
    const stream = cfb.streams.get("Workbook") ?? Buffer.alloc(0);
    const records = readRecords(stream);
    const labels = records.filter((r) => r.type === 0x00fd);
    expect(labels.length).toBe(65_535 * 16);
    const last = labels[labels.length - 1];
    // LabelSst: row, column, XF, then the SST index (strings are numbered in first-use order).
    expect([last?.data.readUInt16LE(0), last?.data.readUInt16LE(2), last?.data.readUInt32LE(6)]).toEqual([
      65_534,
      15,
      65_535 * 16 - 1,
    ]);
    const sst = records.find((r) => r.type === 0x00fc);
    expect([sst?.data.readUInt32LE(0), sst?.data.readUInt32LE(4)]).toEqual([65_535 * 16, 65_535 * 16]);
  });
});
