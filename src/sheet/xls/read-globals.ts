import {
  BOF_GLOBALS,
  RT_BOF,
  RT_BOF_BIFF2,
  RT_BOF_BIFF3,
  RT_BOF_BIFF4,
  RT_BOUNDSHEET,
  RT_CODEPAGE,
  RT_DATEMODE,
  RT_EOF,
  RT_FILEPASS,
  RT_FORMAT,
  RT_SST,
  RT_XF,
} from "./biff-records.js";
import { readByteString, readXLUnicodeString } from "./biff-strings.js";
import { createCodepageDecoder, type ByteTextDecoder } from "./codepage.js";
import { fileBiffTooOld, fileCorrupt, fileEncrypted } from "./read-errors.js";
import { parseSst } from "./read-sst.js";
import { appendContinueSegments } from "./segmented-string.js";
import type { SheetVisibility } from "./xls-workbook.js";

/** What every sheet of a workbook shares: the stream, the shared strings, the formats, the date system. */
export interface Globals {
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

/** A worksheet the globals list, not yet read. */
export interface WorksheetEntry {
  readonly name: string;
  readonly visibility: SheetVisibility;
  /** Stream position of the sheet's BOF. */
  readonly offset: number;
  /** Bytes up to the next sheet (or the stream's end): an upper bound for sizing its cell index. */
  readonly sizeHint: number;
}

interface BoundSheet {
  readonly offset: number;
  readonly visibility: SheetVisibility;
  readonly type: number;
  readonly namePos: number;
  readonly nameEnd: number;
}

/**
 * Reads the workbook globals substream: BOF, CODEPAGE, DATEMODE, XF, FORMAT,
 * BOUNDSHEET and SST, up to its EOF. Refuses a stream older than BIFF5 and an encrypted one.
 */
export function readGlobals(
  stream: Uint8Array,
  streamName: string,
  fileName: string,
): { globals: Globals; worksheets: WorksheetEntry[] } {
  const buf = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const end = stream.length;
  const biff = readGlobalsBof(view, end, streamName, fileName);

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
        const after = appendContinueSegments(view, segments, next, end);
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
  return { globals, worksheets: listWorksheets(globals, boundSheets) };
}

/** MS-XLS 2.4.21 BOF: the stream must open the globals of a BIFF5 or BIFF8 workbook. */
function readGlobalsBof(view: DataView, end: number, streamName: string, fileName: string): 5 | 8 {
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
  return bofVersion === 0x0600
    ? 8
    : bofVersion >= 0x0500 && bofVersion < 0x0600
      ? 5
      : streamName === "Book"
        ? 5
        : 8;
}

/** The worksheets among the BOUNDSHEETs, in workbook order, each with its name read and its start checked. */
function listWorksheets(globals: Globals, boundSheets: readonly BoundSheet[]): WorksheetEntry[] {
  const { buf, view, biff, decodeBytes, fileName } = globals;
  const end = buf.length;
  const worksheets: WorksheetEntry[] = [];
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
    worksheets.push({
      name,
      visibility: bound.visibility,
      offset: bound.offset,
      sizeHint: nextStart - bound.offset,
    });
  }
  return worksheets;
}

/** MS-XLS 2.4.28 BoundSheet8 hsState: 0 visible, 1 hidden, 2 very hidden (only a macro can show it). */
function visibilityOf(hsState: number): SheetVisibility {
  const state = hsState & 0x03;
  return state === 0 ? "visible" : state === 1 ? "hidden" : "very-hidden";
}

/** MS-XLS 2.4.117 FilePass: XOR obfuscation, RC4, or RC4 CryptoAPI. */
function describeEncryption(view: DataView, data: number, len: number, biff: 5 | 8): string {
  if (biff === 5 || len < 2) return "XOR obfuscation";
  if (view.getUint16(data, true) === 0) return "XOR obfuscation";
  const major = len >= 4 ? view.getUint16(data + 2, true) : 0;
  return major === 1 ? "RC4 encryption" : "RC4 CryptoAPI encryption";
}
