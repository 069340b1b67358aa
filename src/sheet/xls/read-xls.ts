import { AppError } from "../../errors/app-error.js";
import { cellRef } from "../cell-ref.js";
import type { Cell, CellKind } from "../cell.js";
import {
  BOF_GLOBALS,
  errorText,
  RT_BOF,
  RT_BOF_BIFF2,
  RT_BOF_BIFF3,
  RT_BOF_BIFF4,
  RT_BOOLERR,
  RT_BOUNDSHEET,
  RT_CODEPAGE,
  RT_CONTINUE,
  RT_DATEMODE,
  RT_EOF,
  RT_FILEPASS,
  RT_FORMAT,
  RT_FORMULA,
  RT_LABEL,
  RT_LABELSST,
  RT_MULRK,
  RT_NUMBER,
  RT_RK,
  RT_RSTRING,
  RT_SST,
  RT_STRING,
  RT_XF,
} from "./biff-records.js";
import { ENTRY_STREAM, openCfb, type DirectoryEntry } from "./cfb.js";
import { createCodepageDecoder, type ByteTextDecoder } from "./codepage.js";
import {
  classifyNumberFormat,
  formatDateSerial,
  formatNumber,
  isDateSerial,
  PLAIN_NUMBER,
  type NumberStyle,
} from "./number-format.js";
import {
  fileBiffTooOld,
  fileCorrupt,
  fileEmpty,
  fileEncrypted,
  fileNotXls,
  fileNoWorksheet,
  fileTooLarge,
} from "./read-errors.js";
import { SegmentedReader } from "./segmented-string.js";
import { sniffFormat } from "./sniff.js";

export const DEFAULT_MAX_XLS_BYTES = 64 * 1024 * 1024;

export interface ReadXlsOptions {
  /** The name shown in every error message (the uploaded file's name). */
  readonly fileName: string;
  /** Files above this size are refused before any parsing; 64 MiB by default. */
  readonly maxBytes?: number;
  /**
   * The caller gives up `bytes`: the reader may rearrange them to assemble the workbook stream in place
   * instead of copying it, which saves memory the size of the file. The buffer's content is undefined after.
   */
  readonly reuseInput?: boolean;
}

export type SheetVisibility = "visible" | "hidden" | "very-hidden";

export interface XlsWorkbook {
  readonly fileName: string;
  readonly format: "biff8" | "biff5";
  readonly dateMode: 1900 | 1904;
  /** Worksheets only (chart, macro and dialog sheets are left out), in workbook order. */
  readonly sheets: readonly XlsSheet[];
}

export interface XlsSheet {
  readonly name: string;
  readonly visibility: SheetVisibility;
  readonly visible: boolean;
  /** Number of cells holding a value (formatting-only blanks are not cells). */
  readonly cellCount: number;
  /** One past the last row and column holding a value; 0 for an empty sheet. */
  readonly rowCount: number;
  readonly colCount: number;
  cell(row: number, col: number): Cell | undefined;
  /** Every cell in row order, then column order. */
  cells(): IterableIterator<Cell>;
  /** Rows that hold at least one cell, in order, from `fromRow` on. Cells are built only when asked for. */
  rows(fromRow?: number): IterableIterator<SheetRow>;
  /**
   * The first cell, scanning rows top to bottom and each left to right, within the first `maxRows` rows and
   * `maxCols` columns, whose text satisfies the predicate.
   */
  findCell(predicate: (text: string) => boolean, maxRows: number, maxCols: number): Cell | undefined;
}

export interface SheetRow {
  readonly row: number;
  /** Columns of the cells in this row, ascending. */
  readonly cols: readonly number[];
  cell(col: number): Cell | undefined;
  /** The cell's text, or "" where there is no cell. */
  text(col: number): string;
  /** Every cell's text indexed by column, with holes where there is no cell: the fast path for a whole row. */
  texts(): (string | undefined)[];
  cells(): Cell[];
}

/**
 * Reads an Excel 97-2003 workbook (BIFF8, and BIFF5 from Excel 5/95). The workbook globals are parsed at
 * once; each sheet's cells are indexed on first use, and a cell object is built only when it is read.
 * Throws only AppError, with one of the file_* codes.
 */
export function readXls(bytes: Uint8Array, options: ReadXlsOptions): XlsWorkbook {
  const { fileName } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XLS_BYTES;
  if (bytes.length === 0) throw fileEmpty(fileName);
  if (bytes.length > maxBytes) throw fileTooLarge(fileName, bytes.length, maxBytes);
  return guard(fileName, () => {
    const { stream, streamName } = locateWorkbookStream(bytes, fileName, options.reuseInput ?? false);
    return parseWorkbook(stream, streamName, fileName);
  });
}

/**
 * A read past the end of a structure (DataView and Buffer throw RangeError) means the file lies about a
 * length we did not check first: that is a corrupt file, not a crash. Any other error is a bug of ours and
 * is left to surface, so the fuzz tests can find it.
 */
function guard<T>(fileName: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RangeError) throw fileCorrupt(fileName, "a length or offset points past its data");
    throw error;
  }
}

function locateWorkbookStream(
  bytes: Uint8Array,
  fileName: string,
  inPlace: boolean,
): { stream: Uint8Array; streamName: string } {
  const sniffed = sniffFormat(bytes);
  switch (sniffed.kind) {
    case "foreign":
      throw fileNotXls(fileName, sniffed.format);
    case "raw-biff":
      if (sniffed.version < 5)
        throw fileBiffTooOld(fileName, `Excel ${sniffed.version}.0 (BIFF${sniffed.version})`);
      return { stream: bytes, streamName: "" };
    case "cfb":
      break;
  }
  const cfb = openCfb(bytes, fileName);
  const pick = (entries: readonly DirectoryEntry[]): DirectoryEntry | undefined => {
    const streams = entries.filter((e) => e.type === ENTRY_STREAM);
    // Some files hold both: the BIFF8 "Workbook" is the one Excel 97 and later read.
    return (
      streams.find((e) => e.name.toLowerCase() === "workbook") ??
      streams.find((e) => e.name.toLowerCase() === "book")
    );
  };
  // A damaged directory tree may hide the stream from the walk; the flat entry list still has it.
  const entry = pick(cfb.rootChildren) ?? pick(cfb.allEntries);
  if (!entry) {
    const names = cfb.allEntries.map((e) => e.name.toLowerCase());
    if (names.includes("encryptedpackage") || names.includes("encryptioninfo")) {
      throw fileEncrypted(fileName, "an encrypted Excel 2007 or later workbook");
    }
    if (names.some((n) => n.startsWith("workbook") || n.startsWith("book"))) {
      throw fileCorrupt(fileName, "the directory entry of the workbook stream is damaged");
    }
    throw fileNotXls(fileName, "ole-document");
  }
  const stream = cfb.readStream(entry, inPlace);
  if (stream.length === 0) throw fileCorrupt(fileName, `the "${entry.name}" stream is empty`);
  return { stream, streamName: entry.name };
}

interface BoundSheet {
  readonly offset: number;
  readonly visibility: SheetVisibility;
  readonly type: number;
  readonly namePos: number;
  readonly nameEnd: number;
}

interface Globals {
  readonly buf: Buffer;
  readonly view: DataView;
  readonly fileName: string;
  readonly biff: 5 | 8;
  readonly sst: readonly string[];
  readonly decodeBytes: ByteTextDecoder;
  readonly xfFormats: readonly number[];
  readonly formats: ReadonlyMap<number, string>;
  readonly dateMode: 1900 | 1904;
}

function parseWorkbook(stream: Uint8Array, streamName: string, fileName: string): XlsWorkbook {
  const buf = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const end = stream.length;
  if (end < 8) throw fileCorrupt(fileName, "the workbook stream is shorter than one record");
  const firstId = view.getUint16(0, true);
  if (firstId === RT_BOF_BIFF2 || firstId === RT_BOF_BIFF3 || firstId === RT_BOF_BIFF4) {
    const version = firstId === RT_BOF_BIFF2 ? 2 : firstId === RT_BOF_BIFF3 ? 3 : 4;
    throw fileBiffTooOld(fileName, `Excel ${version}.0 (BIFF${version})`);
  }
  if (firstId !== RT_BOF) {
    throw fileCorrupt(fileName, "the workbook stream does not start with a BOF record", { offset: 0 });
  }
  const bofVersion = view.getUint16(4, true);
  const bofType = view.getUint16(6, true);
  if (bofType !== BOF_GLOBALS) {
    if (bofVersion === 0x0400 || bofType === 0x0100)
      throw fileBiffTooOld(fileName, "Excel 4.0 workbook (BIFF4W)");
    throw fileCorrupt(fileName, "the workbook stream does not start with the workbook globals", {
      offset: 0,
    });
  }
  const biff: 5 | 8 =
    bofVersion === 0x0600
      ? 8
      : bofVersion >= 0x0500 && bofVersion < 0x0600
        ? 5
        : streamName === "Book"
          ? 5
          : 8;

  let codepage: number | undefined;
  let dateMode: 1900 | 1904 = 1900;
  const xfFormats: number[] = [];
  const formatRecords: (readonly [number, number, number])[] = [];
  const boundSheets: BoundSheet[] = [];
  let sst: string[] = [];

  let pos = 0;
  while (pos + 4 <= end) {
    const id = view.getUint16(pos, true);
    const len = view.getUint16(pos + 2, true);
    const data = pos + 4;
    const next = data + len;
    if (next > end)
      throw fileCorrupt(fileName, `a record at offset ${pos} runs past the end of the workbook stream`);
    if (id === RT_EOF) break;
    switch (id) {
      case RT_FILEPASS:
        throw fileEncrypted(fileName, describeEncryption(view, data, len, biff));
      case RT_CODEPAGE:
        if (len >= 2) codepage = view.getUint16(data, true);
        break;
      case RT_DATEMODE:
        if (len >= 2) dateMode = view.getUint16(data, true) === 1 ? 1904 : 1900;
        break;
      case RT_XF:
        if (len >= 4) xfFormats.push(view.getUint16(data + 2, true));
        break;
      case RT_FORMAT:
        if (len >= 3) formatRecords.push([view.getUint16(data, true), data + 2, next]);
        break;
      case RT_BOUNDSHEET:
        if (len >= 7) {
          boundSheets.push({
            offset: view.getUint32(data, true),
            visibility: visibilityOf(view.getUint8(data + 4)),
            type: view.getUint8(data + 5),
            namePos: data + 6,
            nameEnd: next,
          });
        }
        break;
      case RT_SST: {
        const segments: [number, number][] = [[data, next]];
        let after = next;
        while (after + 4 <= end && view.getUint16(after, true) === RT_CONTINUE) {
          const clen = view.getUint16(after + 2, true);
          if (after + 4 + clen > end) break;
          segments.push([after + 4, after + 4 + clen]);
          after += 4 + clen;
        }
        if (biff === 8) sst = parseSst(buf, segments, fileName);
        pos = after;
        continue;
      }
      default:
        break;
    }
    pos = next;
  }

  const decodeBytes = createCodepageDecoder(codepage);
  const formats = new Map<number, string>();
  for (const [formatId, start, stop] of formatRecords) {
    const text =
      biff === 8
        ? readXLUnicodeString(buf, view, start, stop, 2).text
        : readByteString(buf, start, stop, 1, decodeBytes);
    formats.set(formatId, text);
  }
  const globals: Globals = { buf, view, fileName, biff, sst, decodeBytes, xfFormats, formats, dateMode };

  const sheets: XlsSheet[] = [];
  const starts = boundSheets.map((b) => b.offset).sort((a, b) => a - b);
  for (const bound of boundSheets) {
    if (bound.type !== 0) continue; // 0 = worksheet; charts, macro sheets and VB modules are not imported
    const name =
      biff === 8
        ? readXLUnicodeString(buf, view, bound.namePos, bound.nameEnd, 1).text
        : readByteString(buf, bound.namePos, bound.nameEnd, 1, decodeBytes);
    if (bound.offset + 8 > end) {
      throw fileCorrupt(
        fileName,
        `sheet "${name}" starts at offset ${bound.offset}, beyond the workbook stream`,
      );
    }
    // Where the next sheet starts bounds this one's size, for sizing its cell index up front.
    // A lying offset may point anywhere: the hint never exceeds the stream's real bytes.
    const nextStart = Math.min(starts.find((start) => start > bound.offset) ?? end, end);
    sheets.push(new LazySheet(globals, name, bound.visibility, bound.offset, nextStart - bound.offset));
  }
  if (sheets.length === 0) throw fileNoWorksheet(fileName);
  return { fileName, format: biff === 8 ? "biff8" : "biff5", dateMode, sheets };
}

/** MS-XLS 2.4.28 BoundSheet8 hsState: 0 visible, 1 hidden, 2 very hidden (only a macro can show it). */
function visibilityOf(hsState: number): SheetVisibility {
  const state = hsState & 0x03;
  return state === 0 ? "visible" : state === 1 ? "hidden" : "very-hidden";
}

function describeEncryption(view: DataView, data: number, len: number, biff: 5 | 8): string {
  if (biff === 5 || len < 2) return "XOR obfuscation";
  if (view.getUint16(data, true) === 0) return "XOR obfuscation";
  const major = len >= 4 ? view.getUint16(data + 2, true) : 0;
  return major === 1 ? "RC4 encryption" : "RC4 CryptoAPI encryption";
}

/** MS-XLS 2.4.265 SST: cstTotal, cstUnique, then the strings, running on across CONTINUE records. */
function parseSst(buf: Buffer, segments: readonly (readonly [number, number])[], fileName: string): string[] {
  const reader = new SegmentedReader(buf, segments);
  reader.readU32(); // cstTotal: references, not needed
  const declared = reader.readU32();
  const available = segments.reduce((sum, [a, b]) => sum + b - a, 0);
  // The declared count can lie (too small, too large, or absurd); never size anything from it alone.
  const strings: string[] = [];
  const limit = Math.min(Math.max(declared, 0), Math.floor(available / 3));
  while (strings.length < limit) {
    const text = reader.readRichExtendedString();
    if (text === null) break;
    if (text === undefined) {
      throw fileCorrupt(fileName, `the shared string table is truncated at string ${strings.length + 1}`);
    }
    strings.push(text);
  }
  return strings;
}

/** MS-XLS 2.5.294 XLUnicodeString (lengthBytes 2) or 2.5.240 ShortXLUnicodeString (lengthBytes 1). */
function readXLUnicodeString(
  buf: Buffer,
  view: DataView,
  pos: number,
  end: number,
  lengthBytes: 1 | 2,
): { text: string; next: number } {
  if (pos + lengthBytes + 1 > end) return { text: "", next: end };
  const cch = lengthBytes === 1 ? view.getUint8(pos) : view.getUint16(pos, true);
  const flags = view.getUint8(pos + lengthBytes);
  let p = pos + lengthBytes + 1;
  if (flags & 0x08) p += 2;
  if (flags & 0x04) p += 4;
  const wide = (flags & 0x01) !== 0;
  const stop = Math.min(end, p + cch * (wide ? 2 : 1));
  if (p >= stop) return { text: "", next: Math.min(stop, end) };
  return {
    text: buf.toString(wide ? "utf16le" : "latin1", p, wide ? stop - ((stop - p) & 1) : stop),
    next: stop,
  };
}

/** An 8-bit string with a 1- or 2-byte length (BIFF5 and earlier), decoded by the workbook's codepage. */
function readByteString(
  buf: Buffer,
  pos: number,
  end: number,
  lengthBytes: 1 | 2,
  decode: ByteTextDecoder,
): string {
  if (pos + lengthBytes > end) return "";
  const cch = lengthBytes === 1 ? (buf[pos] ?? 0) : (buf[pos] ?? 0) | ((buf[pos + 1] ?? 0) << 8);
  const start = pos + lengthBytes;
  return decode(buf.subarray(start, Math.min(end, start + cch)));
}

// How a cell's value is found again: the tag says which record layout `ref` points into.
const TAG_SST = 1; // ref: LABELSST data; xf at +4, string index at +6
const TAG_TEXT = 2; // ref: index into the sheet's own strings (LABEL, RSTRING, formula text)
const TAG_NUMBER = 3; // ref: NUMBER or FORMULA data; xf at +4, IEEE double at +6
const TAG_RK = 4; // ref: RK data; xf at +4, RK number at +6
const TAG_MULRK = 5; // ref: one xf/RK pair inside a MULRK; xf at +0, RK at +2
const TAG_BOOL = 6; // ref: BOOLERR data; value at +6 (or, for formulas, at +8: see TAG_FORMULA_BOOL)
const TAG_ERROR = 7;
const TAG_FORMULA_BOOL = 8;
const TAG_FORMULA_ERROR = 9;

/** Cell locations in three parallel typed arrays: no object per cell until one is read. */
class CellIndex {
  keys: Uint32Array;
  tags: Uint8Array;
  refs: Uint32Array;
  length = 0;
  sorted = true;

  constructor(capacity: number) {
    this.keys = new Uint32Array(capacity);
    this.tags = new Uint8Array(capacity);
    this.refs = new Uint32Array(capacity);
  }

  push(row: number, col: number, tag: number, ref: number): void {
    const key = row * 0x10000 + col;
    const n = this.length;
    if (n > 0) {
      const last = this.keys[n - 1] ?? 0;
      if (key === last) {
        // The same cell written twice: the later record wins, as in Excel.
        this.tags[n - 1] = tag;
        this.refs[n - 1] = ref;
        return;
      }
      if (key < last) this.sorted = false;
    }
    if (n === this.keys.length) this.grow();
    this.keys[n] = key;
    this.tags[n] = tag;
    this.refs[n] = ref;
    this.length = n + 1;
  }

  private grow(): void {
    const capacity = Math.max(16, this.keys.length * 2);
    const keys = new Uint32Array(capacity);
    keys.set(this.keys);
    const tags = new Uint8Array(capacity);
    tags.set(this.tags);
    const refs = new Uint32Array(capacity);
    refs.set(this.refs);
    this.keys = keys;
    this.tags = tags;
    this.refs = refs;
  }

  /** Sorts into row-major order when a writer emitted cells out of order; later duplicates win. */
  finish(): void {
    if (this.sorted) return;
    const order = Array.from({ length: this.length }, (_, i) => i);
    order.sort((a, b) => (this.keys[a] ?? 0) - (this.keys[b] ?? 0) || a - b);
    const keys = new Uint32Array(this.length);
    const tags = new Uint8Array(this.length);
    const refs = new Uint32Array(this.length);
    let n = 0;
    for (const i of order) {
      const key = this.keys[i] ?? 0;
      if (n > 0 && keys[n - 1] === key) n--;
      keys[n] = key;
      tags[n] = this.tags[i] ?? 0;
      refs[n] = this.refs[i] ?? 0;
      n++;
    }
    this.keys = keys;
    this.tags = tags;
    this.refs = refs;
    this.length = n;
    this.sorted = true;
  }
}

class LazySheet implements XlsSheet {
  readonly visible: boolean;
  private index: CellIndex | undefined;
  private strings: string[] = [];
  private readonly styles = new Map<number, NumberStyle>();

  constructor(
    private readonly g: Globals,
    readonly name: string,
    readonly visibility: SheetVisibility,
    private readonly offset: number,
    private readonly sizeHint: number,
  ) {
    this.visible = visibility === "visible";
  }

  get cellCount(): number {
    return this.cellIndex().length;
  }

  get rowCount(): number {
    const idx = this.cellIndex();
    return idx.length === 0 ? 0 : Math.floor((idx.keys[idx.length - 1] ?? 0) / 0x10000) + 1;
  }

  get colCount(): number {
    const idx = this.cellIndex();
    let max = -1;
    for (let i = 0; i < idx.length; i++) max = Math.max(max, (idx.keys[i] ?? 0) & 0xffff);
    return max + 1;
  }

  cell(row: number, col: number): Cell | undefined {
    const idx = this.cellIndex();
    const i = lowerBound(idx.keys, 0, idx.length, row * 0x10000 + col);
    return i < idx.length && idx.keys[i] === row * 0x10000 + col ? this.cellAt(i) : undefined;
  }

  *cells(): IterableIterator<Cell> {
    const idx = this.cellIndex();
    for (let i = 0; i < idx.length; i++) yield this.cellAt(i);
  }

  *rows(fromRow = 0): IterableIterator<SheetRow> {
    const idx = this.cellIndex();
    let i = lowerBound(idx.keys, 0, idx.length, fromRow * 0x10000);
    while (i < idx.length) {
      const row = Math.floor((idx.keys[i] ?? 0) / 0x10000);
      const stop = lowerBound(idx.keys, i, idx.length, (row + 1) * 0x10000);
      yield new IndexedRow(this, row, i, stop);
      i = stop;
    }
  }

  findCell(predicate: (text: string) => boolean, maxRows: number, maxCols: number): Cell | undefined {
    const idx = this.cellIndex();
    for (let i = 0; i < idx.length; i++) {
      const key = idx.keys[i] ?? 0;
      if (key >= maxRows * 0x10000) break;
      if ((key & 0xffff) >= maxCols) continue;
      const cell = this.cellAt(i);
      if (predicate(cell.text)) return cell;
    }
    return undefined;
  }

  /** @internal Column of the i-th indexed cell. */
  colAt(i: number): number {
    return (this.cellIndex().keys[i] ?? 0) & 0xffff;
  }

  /** @internal Builds the i-th indexed cell. */
  cellAt(i: number): Cell {
    const idx = this.cellIndex();
    const key = idx.keys[i] ?? 0;
    const row = Math.floor(key / 0x10000);
    const col = key & 0xffff;
    const ref = idx.refs[i] ?? 0;
    const { view } = this.g;
    switch (idx.tags[i] ?? 0) {
      case TAG_SST: {
        const text = this.g.sst[view.getUint32(ref + 6, true)] ?? "";
        return { row, col, kind: "text", value: text, text };
      }
      case TAG_TEXT: {
        const text = this.strings[ref] ?? "";
        return { row, col, kind: "text", value: text, text };
      }
      case TAG_NUMBER:
        return this.numberCell(row, col, view.getFloat64(ref + 6, true), view.getUint16(ref + 4, true));
      case TAG_RK:
        return this.numberCell(
          row,
          col,
          decodeRk(view.getUint32(ref + 6, true)),
          view.getUint16(ref + 4, true),
        );
      case TAG_MULRK:
        return this.numberCell(row, col, decodeRk(view.getUint32(ref + 2, true)), view.getUint16(ref, true));
      case TAG_BOOL:
        return boolCell(row, col, view.getUint8(ref + 6) !== 0);
      case TAG_FORMULA_BOOL:
        return boolCell(row, col, view.getUint8(ref + 8) !== 0);
      case TAG_ERROR:
        return errorCell(row, col, view.getUint8(ref + 6));
      case TAG_FORMULA_ERROR:
        return errorCell(row, col, view.getUint8(ref + 8));
      default:
        throw new AppError("file_corrupt", "internal: unknown cell tag");
    }
  }

  /** @internal The i-th indexed cell's text, without building the cell: the hot path of a full read. */
  textAt(i: number): string {
    const idx = this.cellIndex();
    const ref = idx.refs[i] ?? 0;
    const tag = idx.tags[i];
    if (tag === TAG_SST) return this.g.sst[this.g.view.getUint32(ref + 6, true)] ?? "";
    if (tag === TAG_TEXT) return this.strings[ref] ?? "";
    return this.cellAt(i).text;
  }

  private numberCell(row: number, col: number, value: number, xf: number): Cell {
    const style = this.styleOf(xf);
    if (style.kind === "date" && isDateSerial(value)) {
      return { row, col, kind: "date", value, text: formatDateSerial(value, this.g.dateMode) };
    }
    const kind: CellKind = "number";
    return { row, col, kind, value, text: formatNumber(value, style) };
  }

  private styleOf(xf: number): NumberStyle {
    let style = this.styles.get(xf);
    if (!style) {
      const formatId = this.g.xfFormats[xf];
      style =
        formatId === undefined ? PLAIN_NUMBER : classifyNumberFormat(formatId, this.g.formats.get(formatId));
      this.styles.set(xf, style);
    }
    return style;
  }

  private cellIndex(): CellIndex {
    if (!this.index) this.index = guard(this.g.fileName, () => this.scan());
    return this.index;
  }

  /** One pass over the sheet's records, noting where each value cell is. */
  private scan(): CellIndex {
    const { view, buf, biff, fileName } = this.g;
    const end = buf.length;
    const corrupt = (where: string): AppError => fileCorrupt(fileName, `sheet "${this.name}": ${where}`);
    if (view.getUint16(this.offset, true) !== RT_BOF) {
      throw corrupt(`no BOF record at offset ${this.offset}, where the workbook says the sheet starts`);
    }
    // A one-cell record takes at least 14 bytes (LABELSST, RK); only MULRK packs cells tighter, and
    // then the index grows. Sized from bytes that exist, never from a declared count.
    const index = new CellIndex(Math.max(64, Math.floor(this.sizeHint / 14)));
    const strings: string[] = [];
    const sstSize = this.g.sst.length;
    let pendingFormulaText = -1;
    let depth = 0;
    let pos = this.offset;
    while (pos + 4 <= end) {
      const id = view.getUint16(pos, true);
      const len = view.getUint16(pos + 2, true);
      const data = pos + 4;
      const next = data + len;
      if (next > end) throw corrupt(`a record at offset ${pos} runs past the end of the workbook stream`);
      pos = next;
      if (id === RT_BOF) {
        depth++;
        continue;
      }
      if (id === RT_EOF) {
        depth--;
        if (depth === 0) break;
        continue;
      }
      if (depth > 1) continue; // a chart or other substream embedded in the sheet
      const needs = (min: number): void => {
        if (len < min) throw corrupt(`a cell record at offset ${data - 4} is too short (${len} bytes)`);
      };
      switch (id) {
        case RT_LABELSST: {
          needs(10);
          const sstIndex = view.getUint32(data + 6, true);
          if (sstIndex >= sstSize) {
            const at = cellRef(view.getUint16(data, true), view.getUint16(data + 2, true));
            throw corrupt(`cell ${at} refers to shared string ${sstIndex}, but the table holds ${sstSize}`);
          }
          index.push(view.getUint16(data, true), view.getUint16(data + 2, true), TAG_SST, data);
          break;
        }
        case RT_LABEL:
        case RT_RSTRING: {
          needs(8);
          const text =
            biff === 8
              ? readXLUnicodeString(buf, view, data + 6, next, 2).text
              : readByteString(buf, data + 6, next, 2, this.g.decodeBytes);
          index.push(view.getUint16(data, true), view.getUint16(data + 2, true), TAG_TEXT, strings.length);
          strings.push(text);
          break;
        }
        case RT_NUMBER:
          needs(14);
          index.push(view.getUint16(data, true), view.getUint16(data + 2, true), TAG_NUMBER, data);
          break;
        case RT_RK:
          needs(10);
          index.push(view.getUint16(data, true), view.getUint16(data + 2, true), TAG_RK, data);
          break;
        case RT_MULRK: {
          needs(6);
          const row = view.getUint16(data, true);
          const firstCol = view.getUint16(data + 2, true);
          const count = Math.floor((len - 6) / 6);
          for (let k = 0; k < count; k++) index.push(row, firstCol + k, TAG_MULRK, data + 4 + k * 6);
          break;
        }
        case RT_BOOLERR:
          needs(8);
          index.push(
            view.getUint16(data, true),
            view.getUint16(data + 2, true),
            view.getUint8(data + 7) === 0 ? TAG_BOOL : TAG_ERROR,
            data,
          );
          break;
        case RT_FORMULA: {
          needs(14);
          const row = view.getUint16(data, true);
          const col = view.getUint16(data + 2, true);
          pendingFormulaText = -1;
          // MS-XLS 2.5.133 FormulaValue: a double, unless the top two bytes are 0xFFFF.
          if (view.getUint16(data + 12, true) !== 0xffff) {
            index.push(row, col, TAG_NUMBER, data);
            break;
          }
          switch (view.getUint8(data + 6)) {
            case 0: // text, in the STRING record that follows
              pendingFormulaText = strings.length;
              index.push(row, col, TAG_TEXT, strings.length);
              strings.push("");
              break;
            case 1:
              index.push(row, col, TAG_FORMULA_BOOL, data);
              break;
            case 2:
              index.push(row, col, TAG_FORMULA_ERROR, data);
              break;
            case 3: // an empty string
              index.push(row, col, TAG_TEXT, strings.length);
              strings.push("");
              break;
            default:
              break;
          }
          break;
        }
        case RT_STRING: {
          if (pendingFormulaText < 0) break;
          strings[pendingFormulaText] = this.readFormulaString(data, next, pos);
          pendingFormulaText = -1;
          break;
        }
        default:
          break;
      }
    }
    index.finish();
    this.strings = strings;
    return index;
  }

  /** MS-XLS 2.4.268 STRING: the cached text of a formula, which may run on into CONTINUE records. */
  private readFormulaString(data: number, next: number, after: number): string {
    const { view, buf, biff } = this.g;
    if (biff === 5) return readByteString(buf, data, next, 2, this.g.decodeBytes);
    if (next - data < 3) return "";
    const segments: [number, number][] = [[data + 3, next]];
    let p = after;
    while (p + 4 <= buf.length && view.getUint16(p, true) === RT_CONTINUE) {
      const clen = view.getUint16(p + 2, true);
      if (p + 4 + clen > buf.length) break;
      segments.push([p + 4, p + 4 + clen]);
      p += 4 + clen;
    }
    const reader = new SegmentedReader(buf, segments);
    const text = reader.readChars(view.getUint16(data, true), (view.getUint8(data + 2) & 0x01) !== 0);
    return text ?? "";
  }
}

class IndexedRow implements SheetRow {
  private columns: number[] | undefined;

  constructor(
    private readonly sheet: LazySheet,
    readonly row: number,
    private readonly start: number,
    private readonly stop: number,
  ) {}

  get cols(): readonly number[] {
    if (!this.columns) {
      this.columns = [];
      for (let i = this.start; i < this.stop; i++) this.columns.push(this.sheet.colAt(i));
    }
    return this.columns;
  }

  cell(col: number): Cell | undefined {
    for (let i = this.start; i < this.stop; i++) {
      const c = this.sheet.colAt(i);
      if (c === col) return this.sheet.cellAt(i);
      if (c > col) break;
    }
    return undefined;
  }

  text(col: number): string {
    for (let i = this.start; i < this.stop; i++) {
      const c = this.sheet.colAt(i);
      if (c === col) return this.sheet.textAt(i);
      if (c > col) break;
    }
    return "";
  }

  texts(): (string | undefined)[] {
    const out: (string | undefined)[] = [];
    for (let i = this.start; i < this.stop; i++) out[this.sheet.colAt(i)] = this.sheet.textAt(i);
    return out;
  }

  cells(): Cell[] {
    const out: Cell[] = [];
    for (let i = this.start; i < this.stop; i++) out.push(this.sheet.cellAt(i));
    return out;
  }
}

function boolCell(row: number, col: number, value: boolean): Cell {
  return { row, col, kind: "bool", value, text: value ? "TRUE" : "FALSE" };
}

function errorCell(row: number, col: number, code: number): Cell {
  const text = errorText(code);
  return { row, col, kind: "error", value: text, text };
}

/** MS-XLS 2.5.217 RkNumber: a 30-bit integer or the top 30 bits of a double, optionally divided by 100. */
export function decodeRk(rk: number): number {
  let value: number;
  if (rk & 0x02) {
    value = rk >> 2;
  } else {
    RK_VIEW.setUint32(0, 0, true);
    RK_VIEW.setUint32(4, rk & 0xfffffffc, true);
    value = RK_VIEW.getFloat64(0, true);
  }
  return rk & 0x01 ? value / 100 : value;
}
const RK_VIEW = new DataView(new ArrayBuffer(8));

function lowerBound(keys: Uint32Array, from: number, to: number, key: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] ?? 0) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
