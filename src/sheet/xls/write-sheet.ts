import {
  BOF_WORKSHEET,
  RT_DBCELL,
  RT_DEFCOLWIDTH,
  RT_DIMENSIONS,
  RT_EOF,
  RT_INDEX,
  RT_ROW,
  RT_WINDOW2,
} from "./biff-records.js";
import { collectRows, groupRowBlocks, MAX_COL } from "./place-cells.js";
import { ByteWriter, writeBof, writeRecord } from "./record-writer.js";
import { CellWriter } from "./write-cells.js";
import { XF_GENERAL } from "./write-globals.js";
import type { SharedStrings } from "./write-sst.js";
import type { XlsSheetInput } from "./xls-sheet-input.js";

const ROW_RECORD_SIZE = 20;

/** A worksheet substream, written before its position in the Workbook stream is known. */
export interface SheetStream {
  readonly writer: ByteWriter;
  /** Turns the sheet's stream-relative file pointers into absolute ones. */
  relocate(sheetStart: number): void;
}

/** Writes one worksheet: BOF, Index, DefColWidth, Dimensions, the row blocks, Window2 and EOF. */
export function writeSheet(
  sheet: XlsSheetInput,
  active: boolean,
  sst: SharedStrings,
  date1904: boolean,
): SheetStream {
  const rows = collectRows(sheet);
  const blocks = groupRowBlocks(rows);
  const w = new ByteWriter(64 + rows.length * (ROW_RECORD_SIZE + 16 * 14));

  writeBof(w, BOF_WORKSHEET);

  // MS-XLS 2.4.144 Index: rows in use, the DefColWidth position and one pointer per row block's DBCell.
  const firstRow = rows[0]?.row ?? 0;
  const endRow = rows.length > 0 ? (rows[rows.length - 1]?.row ?? 0) + 1 : 0;
  writeRecord(w, RT_INDEX, 16 + 4 * blocks.length);
  w.u32(0);
  w.u32(firstRow);
  w.u32(endRow);
  const defColWidthPointer = w.pos;
  w.u32(0);
  const dbCellPointers = w.pos;
  w.pos += 4 * blocks.length;

  w.buf.writeUInt32LE(w.pos, defColWidthPointer);
  writeRecord(w, RT_DEFCOLWIDTH, 2);
  w.u16(8);

  // MS-XLS 2.4.90 Dimensions
  let firstCol = 0;
  let endCol = 0;
  if (rows.length > 0) {
    firstCol = MAX_COL + 1;
    for (const r of rows) {
      firstCol = Math.min(firstCol, r.firstCol);
      endCol = Math.max(endCol, r.endCol);
    }
  }
  writeRecord(w, RT_DIMENSIONS, 14);
  w.u32(firstRow);
  w.u32(endRow);
  w.u16(firstCol);
  w.u16(endCol);
  w.u16(0);

  const cellWriter = new CellWriter(w, sst, date1904);
  blocks.forEach((block, b) => {
    const blockStart = w.pos;
    // MS-XLS 2.4.221 Row, one per row with cells in this block of up to 32 rows.
    for (const r of block) {
      writeRecord(w, RT_ROW, 16);
      w.u16(r.row);
      w.u16(r.firstCol);
      w.u16(r.endCol);
      w.u16(0x00ff); // miyRw: default height
      w.u16(0);
      w.u16(0);
      w.u16(0x0100); // flags; reserved3 MUST be 1
      w.u16(XF_GENERAL);
    }
    const firstCellPositions: number[] = [];
    for (const r of block) {
      firstCellPositions.push(w.pos);
      cellWriter.writeRow(r);
    }
    // MS-XLS 2.4.78 DBCell
    const dbCellPos = w.pos;
    w.buf.writeUInt32LE(dbCellPos, dbCellPointers + 4 * b);
    writeRecord(w, RT_DBCELL, 4 + 2 * block.length);
    w.u32(dbCellPos - blockStart);
    let previous = blockStart + ROW_RECORD_SIZE;
    for (const position of firstCellPositions) {
      w.u16(position - previous);
      previous = position;
    }
  });

  // MS-XLS 2.4.346 Window2; only the active sheet is selected, or Excel would group the sheets.
  writeRecord(w, RT_WINDOW2, 18);
  w.u16(active ? 0x06b6 : 0x00b6); // grid, headers, zeros, default colours, outline, [selected, paged]
  w.u16(0); // rwTop
  w.u16(0); // colLeft
  w.u16(0x40); // icvHdr
  w.u16(0);
  w.u16(0); // wScaleSLV
  w.u16(0); // wScaleNormal
  w.u32(0);

  writeRecord(w, RT_EOF, 0);

  return {
    writer: w,
    relocate(sheetStart: number): void {
      // FilePointers (MS-OSHARED 2.2.1.5) are positions in the Workbook stream.
      for (let at = defColWidthPointer; at < dbCellPointers + 4 * blocks.length; at += 4) {
        w.buf.writeUInt32LE(w.buf.readUInt32LE(at) + sheetStart, at);
      }
    },
  };
}
