/**
 * A minimal Excel 97-2003 (.xls, BIFF8) writer: text, numbers, booleans and dates on one or more sheets,
 * written from MS-XLS and packed into a compound file by `writeCfb`.
 */

import { cellRef, parseCellRef } from "../cell-ref.js";
import {
  RT_BOF,
  RT_BOOLERR,
  RT_BOUNDSHEET,
  RT_CODEPAGE,
  RT_CONTINUE,
  RT_DATEMODE,
  RT_DBCELL,
  RT_DEFCOLWIDTH,
  RT_DIMENSIONS,
  RT_EOF,
  RT_EXTSST,
  RT_FONT,
  RT_FORMAT,
  RT_INDEX,
  RT_LABELSST,
  RT_NUMBER,
  RT_ROW,
  RT_SST,
  RT_STYLE,
  RT_WINDOW1,
  RT_WINDOW2,
  RT_XF,
} from "./biff-records.js";
import { writeCfb } from "./cfb-write.js";

export type XlsValue = string | number | boolean | Date | null | undefined;

export interface XlsSheetInput {
  /** 1..31 characters, none of `: \ / ? * [ ]`, not starting or ending with `'`. */
  name: string;
  /** BOUNDSHEET hsState hidden. */
  hidden?: boolean;
  /** A block of rows, placed with its top-left at `origin`. */
  rows?: ReadonlyArray<ReadonlyArray<XlsValue>>;
  /** A1-style, default "A1". */
  origin?: string;
  /** Extra cells by A1 reference, e.g. { M99: "email" }; a cell given here and in `rows` is an error. */
  cells?: Readonly<Record<string, XlsValue>>;
}

export interface WriteXlsOptions {
  dateMode?: 1900 | 1904;
}

const MAX_ROW = 65535;
const MAX_COL = 255;
const MAX_STRING_LENGTH = 32767;
const MAX_SHEET_NAME = 31;
const MS_PER_DAY = 86_400_000;
// Serial 2958465 is 9999-12-31, the last day Excel can show.
const MAX_DATE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

// MS-XLS 2.1.4: record data is at most 8224 bytes; longer data continues in CONTINUE records.
const MAX_RECORD_DATA = 8224;
const ROW_RECORD_SIZE = 20;

// Cell XF indexes: 0..14 are the style XFs Excel expects, then our cell XFs.
const XF_GENERAL = 15;
const XF_DATE = 16;
const XF_DATETIME = 17;
const FMT_DATE = 164; // MS-XLS 2.4.126: custom number formats start at 164
const FMT_DATETIME = 165;

interface RowCells {
  readonly row: number;
  /** The slice of `rows` for this row, placed from `blockCol`. */
  readonly block: ReadonlyArray<XlsValue> | undefined;
  readonly blockCol: number;
  /** Cells from `cells`, sorted by column. */
  readonly extras: readonly ExtraCell[];
  readonly firstCol: number;
  /** One past the last column with a value. */
  readonly endCol: number;
}

interface ExtraCell {
  readonly col: number;
  readonly value: XlsValue;
}

/**
 * Writes a workbook. Throws an Error on input Excel cannot hold: a cell outside A1:IV65536, a sheet name
 * that is empty, longer than 31 characters, repeated (case-insensitively) or has a forbidden character,
 * no visible sheet, text over 32767 characters, a non-finite number, or a date outside the date system.
 */
export function writeXls(sheets: readonly XlsSheetInput[], options: WriteXlsOptions = {}): Uint8Array {
  const date1904 = options.dateMode === 1904;
  assertSheetNames(sheets);
  const activeSheet = sheets.findIndex((s) => s.hidden !== true);
  if (activeSheet < 0) throw new Error("at least one sheet must be visible");

  const sst = new SharedStrings();
  const sheetStreams = sheets.map((sheet, i) => writeSheet(sheet, i === activeSheet, sst, date1904));

  const globals = new ByteWriter(4096 + sst.byteEstimate());
  const boundSheetOffsets = writeGlobalsHead(globals, sheets, activeSheet, date1904);
  writeSst(globals, sst);
  writeRecord(globals, RT_EOF, 0);

  // MS-XLS 2.4.28 BoundSheet8.lbPlyPos: the stream position of each sheet's BOF.
  let sheetStart = globals.pos;
  sheetStreams.forEach((sheetStream, i) => {
    globals.buf.writeUInt32LE(sheetStart, boundSheetOffsets[i] ?? 0);
    sheetStream.relocate(sheetStart);
    sheetStart += sheetStream.writer.pos;
  });

  return writeCfb([
    { name: "Workbook", content: [globals.bytes(), ...sheetStreams.map((s) => s.writer.bytes())] },
  ]);
}

function assertSheetNames(sheets: readonly XlsSheetInput[]): void {
  if (sheets.length === 0) throw new Error("a workbook needs at least one sheet");
  if (sheets.length > 0xffff) throw new Error("too many sheets");
  const seen = new Set<string>();
  for (const { name } of sheets) {
    if (name.length < 1 || name.length > MAX_SHEET_NAME) {
      throw new Error(`sheet name must be 1..${MAX_SHEET_NAME} characters: "${name}"`);
    }
    if (/[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new Error(`sheet name has a character Excel forbids: "${name}"`);
    }
    // Excel compares sheet names without regard to case.
    const key = name.toUpperCase();
    if (seen.has(key)) throw new Error(`duplicate sheet name: "${name}"`);
    seen.add(key);
  }
}

// ---------------------------------------------------------------------------------------------------
// Byte output

class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialSize: number) {
    this.buf = Buffer.allocUnsafe(Math.max(256, initialSize));
  }

  ensure(extra: number): void {
    const needed = this.pos + extra;
    if (needed <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buf.length * 2));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  // The callers reserve space with `ensure` first; these do not check. Plain byte stores are several
  // times faster than Buffer's write methods for the million small fields of a large sheet.
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.buf;
    b[this.pos++] = v;
    b[this.pos++] = v >>> 8;
  }

  u32(v: number): void {
    const b = this.buf;
    b[this.pos++] = v;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 24;
  }

  f64(v: number): void {
    this.pos = this.buf.writeDoubleLE(v, this.pos);
  }

  /** Latin-1 bytes (`wide` false, every unit <= 0xFF) or UTF-16LE code units, surrogates kept as they are. */
  text(s: string, wide: boolean): void {
    if (s.length > 32) {
      this.pos += this.buf.write(s, this.pos, wide ? "utf16le" : "latin1");
      return;
    }
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      const unit = s.charCodeAt(i);
      b[p++] = unit;
      if (wide) b[p++] = unit >>> 8;
    }
    this.pos = p;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }
}

/** Writes a record header and reserves its data; the caller writes exactly `length` bytes. */
function writeRecord(w: ByteWriter, type: number, length: number): void {
  w.ensure(4 + length);
  w.u16(type);
  w.u16(length);
}

// ---------------------------------------------------------------------------------------------------
// Workbook globals

/** Writes the globals up to the BOUNDSHEETs; returns where each BOUNDSHEET's lbPlyPos sits. */
function writeGlobalsHead(
  w: ByteWriter,
  sheets: readonly XlsSheetInput[],
  activeSheet: number,
  date1904: boolean,
): number[] {
  writeBof(w, 0x0005); // workbook globals

  writeRecord(w, RT_CODEPAGE, 2);
  w.u16(1200); // MS-XLS 2.4.52: UTF-16

  // MS-XLS 2.4.345 Window1
  writeRecord(w, RT_WINDOW1, 18);
  w.u16(0); // xWn
  w.u16(0); // yWn
  w.u16(0x3000); // dxWn
  w.u16(0x2000); // dyWn
  w.u16(0x0038); // fDspHScroll | fDspVScroll | fBotAdornment
  w.u16(activeSheet); // itabCur: a hidden sheet must not be the active one
  w.u16(activeSheet); // itabFirst
  w.u16(1); // ctabSel
  w.u16(600); // wTabRatio

  writeRecord(w, RT_DATEMODE, 2);
  w.u16(date1904 ? 1 : 0);

  // MS-XLS 2.4.122 Font; five records, since font index 4 does not exist and XFs may refer to 0..3.
  for (let i = 0; i < 5; i++) writeFont(w, "Arial");

  writeFormat(w, FMT_DATE, "yyyy-mm-dd");
  writeFormat(w, FMT_DATETIME, "yyyy-mm-dd hh:mm:ss");

  // MS-XLS 2.4.353 XF: 15 style XFs (0 is Normal), then the cell XFs.
  writeXf(w, { font: 0, format: 0, style: true, used: 0x00 });
  for (let i = 1; i < 15; i++) {
    writeXf(w, { font: i <= 2 ? 1 : i <= 4 ? 2 : 0, format: 0, style: true, used: 0xf4 });
  }
  writeXf(w, { font: 0, format: 0, style: false, used: 0x00 }); // 15 general
  writeXf(w, { font: 0, format: FMT_DATE, style: false, used: 0x04 }); // 16 date, fAtrNum
  writeXf(w, { font: 0, format: FMT_DATETIME, style: false, used: 0x04 }); // 17 date and time

  // MS-XLS 2.4.269 Style: the built-in Normal style on XF 0.
  writeRecord(w, RT_STYLE, 4);
  w.u16(0x8000); // ixfe 0, fBuiltIn
  w.u8(0); // istyBuiltIn: Normal
  w.u8(0xff); // iLevel

  // MS-XLS 2.4.28 BoundSheet8
  const offsets: number[] = [];
  for (const sheet of sheets) {
    const wide = needsWide(sheet.name);
    const length = 8 + sheet.name.length * (wide ? 2 : 1);
    writeRecord(w, RT_BOUNDSHEET, length);
    offsets.push(w.pos);
    w.u32(0); // lbPlyPos, patched once the sheet positions are known
    w.u8(sheet.hidden === true ? 1 : 0); // hsState
    w.u8(0); // dt: worksheet
    w.u8(sheet.name.length);
    w.u8(wide ? 1 : 0);
    w.text(sheet.name, wide);
  }
  return offsets;
}

// MS-XLS 2.4.21 BOF
function writeBof(w: ByteWriter, dt: number): void {
  writeRecord(w, RT_BOF, 16);
  w.u16(0x0600); // BIFF8
  w.u16(dt);
  w.u16(0x0dbb); // rupBuild
  w.u16(0x07cc); // rupYear
  w.u32(0); // flags
  w.u32(0x00000006); // verLowestBiff: BIFF8
}

function writeFont(w: ByteWriter, name: string): void {
  writeRecord(w, RT_FONT, 16 + name.length);
  w.u16(200); // dyHeight: 10 pt in twips
  w.u16(0); // flags
  w.u16(0x7fff); // icv: automatic colour
  w.u16(400); // bls: normal weight
  w.u16(0); // sss
  w.u8(0); // uls
  w.u8(0); // bFamily
  w.u8(0); // bCharSet
  w.u8(0); // reserved
  w.u8(name.length); // ShortXLUnicodeString, compressed
  w.u8(0);
  w.text(name, false);
}

// MS-XLS 2.4.126 Format
function writeFormat(w: ByteWriter, index: number, code: string): void {
  writeRecord(w, RT_FORMAT, 5 + code.length);
  w.u16(index);
  w.u16(code.length); // XLUnicodeString, compressed
  w.u8(0);
  w.text(code, false);
}

function writeXf(w: ByteWriter, xf: { font: number; format: number; style: boolean; used: number }): void {
  writeRecord(w, RT_XF, 20);
  w.u16(xf.font);
  w.u16(xf.format);
  // fLocked; a style XF has fStyle and ixfParent 0xFFF, a cell XF inherits from style XF 0.
  w.u16(xf.style ? 0xfff5 : 0x0001);
  w.u8(0x20); // alc general, alcV bottom
  w.u8(0); // trot
  w.u8(0); // indent, shrink, reading order
  w.u8(xf.used); // fAtr* bits
  w.u32(0); // borders: none
  w.u32(0);
  w.u16(0x20c0); // icvFore 64, icvBack 65: system colours
}

// ---------------------------------------------------------------------------------------------------
// Shared strings

class SharedStrings {
  readonly strings: string[] = [];
  private readonly indexes = new Map<string, number>();
  total = 0;
  private chars = 0;

  indexOf(s: string): number {
    this.total++;
    let index = this.indexes.get(s);
    if (index === undefined) {
      index = this.strings.length;
      this.strings.push(s);
      this.indexes.set(s, index);
      this.chars += s.length;
    }
    return index;
  }

  byteEstimate(): number {
    return this.strings.length * 3 + this.chars * 2 + 8 + (this.chars >> 11) * 5;
  }
}

const NON_LATIN1 = /[\u0100-\uffff]/; // any UTF-16 code unit above 0xFF

function needsWide(s: string): boolean {
  return NON_LATIN1.test(s);
}

/**
 * MS-XLS 2.4.265 SST, then 2.4.107 ExtSST. Records hold at most 8224 bytes; a string whose characters do
 * not fit continues in a CONTINUE record that starts with a repeated option-flags byte (2.5.293). The
 * 3-byte string header is never split, and a split never falls between the halves of a surrogate pair.
 */
function writeSst(w: ByteWriter, sst: SharedStrings): void {
  const { strings } = sst;
  // MS-XLS 2.4.107: dsst = max(cstUnique / 128 + 1, 8), one ISSTInf per started bucket.
  const bucketSize = Math.max(Math.floor(strings.length / 128) + 1, 8);
  const bucketStarts: { streamPos: number; recordOffset: number }[] = [];

  w.ensure(12 + 8 + sst.byteEstimate());
  let recordStart = w.pos;
  w.u16(RT_SST);
  w.u16(0); // length, patched at the end of each record
  w.u32(sst.total); // cstTotal
  w.u32(strings.length); // cstUnique
  let used = 8;

  const closeRecord = (type: number): void => {
    w.buf.writeUInt16LE(used, recordStart + 2);
    w.ensure(4 + MAX_RECORD_DATA);
    recordStart = w.pos;
    w.u16(type);
    w.u16(0);
    used = 0;
  };

  strings.forEach((s, index) => {
    const wide = needsWide(s);
    const unit = wide ? 2 : 1;
    // The header and at least one whole character (two units if a surrogate pair begins) stay together.
    const firstUnits = Math.min(s.length, 2);
    if (MAX_RECORD_DATA - used < 3 + firstUnits * unit) closeRecord(RT_CONTINUE);
    if (index % bucketSize === 0) {
      bucketStarts.push({ streamPos: w.pos, recordOffset: w.pos - recordStart });
    }
    w.ensure(3 + s.length * unit + 5 * Math.ceil((s.length * unit) / MAX_RECORD_DATA));
    w.u16(s.length);
    w.u8(wide ? 1 : 0); // fHighByte; no rich text, no phonetic data
    used += 3;
    let done = 0;
    for (;;) {
      let count = Math.min(Math.floor((MAX_RECORD_DATA - used) / unit), s.length - done);
      if (done + count < s.length && count > 1 && isHighSurrogate(s.charCodeAt(done + count - 1))) count--;
      w.text(s.slice(done, done + count), wide);
      used += count * unit;
      done += count;
      if (done === s.length) break;
      closeRecord(RT_CONTINUE);
      w.u8(wide ? 1 : 0); // the continued part's own fHighByte
      used = 1;
    }
  });
  w.buf.writeUInt16LE(used, recordStart + 2);

  writeRecord(w, RT_EXTSST, 2 + 8 * bucketStarts.length);
  w.u16(bucketSize);
  for (const bucket of bucketStarts) {
    w.u32(bucket.streamPos); // ib: stream position of the bucket's first string
    w.u16(bucket.recordOffset); // cbOffset: from the start of its SST or CONTINUE record, header included
    w.u16(0);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

// ---------------------------------------------------------------------------------------------------
// Worksheets

interface SheetStream {
  readonly writer: ByteWriter;
  /** Turns the sheet's stream-relative file pointers into absolute ones. */
  relocate(sheetStart: number): void;
}

function writeSheet(
  sheet: XlsSheetInput,
  active: boolean,
  sst: SharedStrings,
  date1904: boolean,
): SheetStream {
  const rows = collectRows(sheet);
  const blocks = groupRowBlocks(rows);
  const w = new ByteWriter(64 + rows.length * (ROW_RECORD_SIZE + 16 * 14));

  writeBof(w, 0x0010); // worksheet

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

class CellWriter {
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

// ---------------------------------------------------------------------------------------------------
// Cell placement

function parseRef(ref: string, what: string): { row: number; col: number } {
  const parsed = parseCellRef(ref);
  if (!parsed) throw new Error(`${what}: not an A1 reference: "${ref}"`);
  assertInRange(parsed.row, parsed.col, ref);
  return parsed;
}

function assertInRange(row: number, col: number, ref: string): void {
  if (row < 0 || row > MAX_ROW || col < 0 || col > MAX_COL) {
    throw new Error(`cell ${ref} is outside A1:IV65536`);
  }
}

/** Every row that has at least one value, in row order, with its extra cells sorted by column. */
function collectRows(sheet: XlsSheetInput): RowCells[] {
  const origin = parseRef(sheet.origin ?? "A1", `sheet "${sheet.name}" origin`);

  const extrasByRow = new Map<number, ExtraCell[]>();
  const seenExtra = new Set<number>();
  for (const [ref, value] of Object.entries(sheet.cells ?? {})) {
    if (value === null || value === undefined) continue;
    const { row, col } = parseRef(ref, `sheet "${sheet.name}" cells`);
    const key = row * 256 + col;
    if (seenExtra.has(key)) throw new Error(`cell ${cellRef(row, col)} is given twice in cells`);
    seenExtra.add(key);
    let list = extrasByRow.get(row);
    if (!list) {
      list = [];
      extrasByRow.set(row, list);
    }
    list.push({ col, value });
  }
  for (const list of extrasByRow.values()) list.sort((a, b) => a.col - b.col);
  const extraRows = [...extrasByRow.keys()].sort((a, b) => a - b);

  const result: RowCells[] = [];
  const block = sheet.rows ?? [];
  let x = 0;
  const pushRow = (row: number, values: ReadonlyArray<XlsValue> | undefined): void => {
    const extras = extrasByRow.get(row) ?? [];
    let firstCol = MAX_COL + 1;
    let endCol = 0;
    if (values) {
      let first = 0;
      while (first < values.length && (values[first] === null || values[first] === undefined)) first++;
      if (first < values.length) {
        let last = values.length - 1;
        while (values[last] === null || values[last] === undefined) last--;
        assertInRange(row, origin.col + last, cellRef(row, origin.col + last));
        firstCol = origin.col + first;
        endCol = origin.col + last + 1;
      }
    }
    const firstExtra = extras[0];
    const lastExtra = extras[extras.length - 1];
    if (firstExtra && lastExtra) {
      firstCol = Math.min(firstCol, firstExtra.col);
      endCol = Math.max(endCol, lastExtra.col + 1);
    }
    if (endCol === 0) return;
    if (row > MAX_ROW) throw new Error(`cell ${cellRef(row, firstCol)} is outside A1:IV65536`);
    result.push({ row, block: values, blockCol: origin.col, extras, firstCol, endCol });
  };

  for (let i = 0; i < block.length; i++) {
    const row = origin.row + i;
    for (; x < extraRows.length && (extraRows[x] ?? 0) < row; x++) pushRow(extraRows[x] ?? 0, undefined);
    if (extraRows[x] === row) x++;
    pushRow(row, block[i]);
  }
  for (; x < extraRows.length; x++) pushRow(extraRows[x] ?? 0, undefined);
  return result;
}

/** Groups rows into blocks of the 32-row bands Excel uses (rows 0-31, 32-63, ...). */
function groupRowBlocks(rows: readonly RowCells[]): RowCells[][] {
  const blocks: RowCells[][] = [];
  let current: RowCells[] = [];
  let band = -1;
  for (const r of rows) {
    if (r.row >> 5 !== band && current.length > 0) {
      blocks.push(current);
      current = [];
    }
    band = r.row >> 5;
    current.push(r);
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}
