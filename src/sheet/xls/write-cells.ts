import { cellRef } from "../cell-ref.js";
import { RT_BOOLERR, RT_LABELSST, RT_NUMBER } from "./biff-records.js";
import type { RowCells } from "./place-cells.js";
import { writeRecord, type ByteWriter } from "./record-writer.js";
import { XF_DATE, XF_DATETIME, XF_GENERAL } from "./write-globals.js";
import type { SharedStrings } from "./write-sst.js";
import type { XlsValue } from "./xls-sheet-input.js";

const MAX_STRING_LENGTH = 32767;
const MS_PER_DAY = 86_400_000;
// Serial 2958465 is 9999-12-31, the last day Excel can show.
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Writes the cell records of rows: text as LabelSst, numbers and dates as Number, booleans as BoolErr. */
export class CellWriter {
  constructor(
    private readonly w: ByteWriter,
    private readonly sst: SharedStrings,
    private readonly date1904: boolean,
  ) {}

  /** Writes a row's cells in column order, merging the block slice and the extra cells. */
  writeRow(r: RowCells): void {
    const { block, blockCol, extras } = r;
    let e = 0;
    if (block) {
      for (let j = 0; j < block.length; j++) {
        const value = block[j];
        if (value === null || value === undefined) continue;
        const col = blockCol + j;
        for (; e < extras.length; e++) {
          const extra = extras[e];
          if (!extra || extra.col > col) break;
          if (extra.col === col)
            throw new Error(`cell ${cellRef(r.row, col)} is given in both rows and cells`);
          this.writeCell(r.row, extra.col, extra.value);
        }
        this.writeCell(r.row, col, value);
      }
    }
    for (; e < extras.length; e++) {
      const extra = extras[e];
      if (extra) this.writeCell(r.row, extra.col, extra.value);
    }
  }

  private writeCell(row: number, col: number, value: XlsValue): void {
    const w = this.w;
    if (value === null || value === undefined) return;
    if (typeof value === "string") {
      if (value.length > MAX_STRING_LENGTH) {
        throw new Error(`cell ${cellRef(row, col)}: text longer than ${MAX_STRING_LENGTH} characters`);
      }
      // MS-XLS 2.4.149 LabelSst
      writeRecord(w, RT_LABELSST, 10);
      w.u16(row);
      w.u16(col);
      w.u16(XF_GENERAL);
      w.u32(this.sst.indexOf(value));
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error(`cell ${cellRef(row, col)}: ${value} cannot be stored`);
      this.writeNumber(row, col, XF_GENERAL, value);
    } else if (typeof value === "boolean") {
      // MS-XLS 2.4.24 BoolErr
      writeRecord(w, RT_BOOLERR, 8);
      w.u16(row);
      w.u16(col);
      w.u16(XF_GENERAL);
      w.u8(value ? 1 : 0);
      w.u8(0); // fError: a boolean
    } else if (value instanceof Date) {
      const ms = value.getTime();
      const xf = ms % MS_PER_DAY === 0 ? XF_DATE : XF_DATETIME;
      this.writeNumber(row, col, xf, serialFromDate(ms, this.date1904, cellRef(row, col)));
    } else {
      throw new Error(`cell ${cellRef(row, col)}: unsupported value`);
    }
  }

  // MS-XLS 2.4.180 Number
  private writeNumber(row: number, col: number, xf: number, value: number): void {
    const w = this.w;
    writeRecord(w, RT_NUMBER, 14);
    w.u16(row);
    w.u16(col);
    w.u16(xf);
    w.f64(value);
  }
}

/**
 * MS-XLS 2.5.42 date serials, read in UTC. The 1900 system counts 1900-01-01 as 1 and has the
 * nonexistent 1900-02-29 as 60, so from 1900-03-01 on the serial is days since 1899-12-30.
 */
function serialFromDate(ms: number, date1904: boolean, ref: string): number {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 31);
  if (Number.isNaN(ms) || ms < epoch || ms > MAX_DATE_MS) {
    throw new Error(`cell ${ref}: date outside what Excel can store`);
  }
  if (date1904) return (ms - epoch) / MS_PER_DAY;
  const serial = (ms - Date.UTC(1899, 11, 30)) / MS_PER_DAY;
  return serial < 61 ? serial - 1 : serial;
}
