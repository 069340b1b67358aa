import type { AppError } from "../../errors/app-error.js";
import { cellRef } from "../cell-ref.js";
import {
  RT_BOF,
  RT_BOOLERR,
  RT_EOF,
  RT_FORMULA,
  RT_LABEL,
  RT_LABELSST,
  RT_MULRK,
  RT_NUMBER,
  RT_RK,
  RT_RSTRING,
  RT_STRING,
} from "./biff-records.js";
import { readByteString, readXLUnicodeString } from "./biff-strings.js";
import { CellIndex } from "./cell-index.js";
import * as Tag from "./cell-tags.js";
import type { Globals } from "./read-globals.js";
import { fileCorrupt } from "./read-errors.js";
import { appendContinueSegments, SegmentedReader } from "./segmented-string.js";

/** A sheet's cells located, and the text of those whose text is not in the shared string table. */
export interface ScannedSheet {
  readonly index: CellIndex;
  /** LABEL, RSTRING and formula text, by the `ref` of Tag.TEXT cells. */
  readonly strings: readonly string[];
}

/**
 * One pass over a worksheet substream, from its BOF to its matching EOF, noting where each
 * value cell is. Substreams nested inside (charts) are skipped.
 */
export function scanSheet(g: Globals, name: string, offset: number, sizeHint: number): ScannedSheet {
  const { view, buf, biff, fileName } = g;
  const end = buf.length;
  const corrupt = (where: string): AppError => fileCorrupt(fileName, `sheet "${name}": ${where}`);
  if (view.getUint16(offset, true) !== RT_BOF) {
    throw corrupt(`no BOF record at offset ${offset}, where the workbook says the sheet starts`);
  }
  // A one-cell record takes at least 14 bytes (LABELSST, RK); only MULRK packs cells tighter, and
  // then the index grows. Sized from bytes that exist, never from a declared count.
  const index = new CellIndex(Math.max(64, Math.floor(sizeHint / 14)));
  const strings: string[] = [];
  const sstSize = g.sst.length;
  let pendingFormulaText = -1;
  let depth = 0;
  let pos = offset;
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
        // MS-XLS 2.4.149 LabelSst
        needs(10);
        const sstIndex = view.getUint32(data + 6, true);
        if (sstIndex >= sstSize) {
          const at = cellRef(view.getUint16(data, true), view.getUint16(data + 2, true));
          throw corrupt(`cell ${at} refers to shared string ${sstIndex}, but the table holds ${sstSize}`);
        }
        index.push(view.getUint16(data, true), view.getUint16(data + 2, true), Tag.SST, data);
        break;
      }
      case RT_LABEL:
      case RT_RSTRING: {
        // MS-XLS 2.4.148 Label, and RString: the text in the record itself.
        needs(8);
        const text =
          biff === 8
            ? readXLUnicodeString(buf, view, data + 6, next, 2).text
            : readByteString(buf, data + 6, next, 2, g.decodeBytes);
        index.push(view.getUint16(data, true), view.getUint16(data + 2, true), Tag.TEXT, strings.length);
        strings.push(text);
        break;
      }
      case RT_NUMBER:
        needs(14);
        index.push(view.getUint16(data, true), view.getUint16(data + 2, true), Tag.NUMBER, data);
        break;
      case RT_RK:
        needs(10);
        index.push(view.getUint16(data, true), view.getUint16(data + 2, true), Tag.RK, data);
        break;
      case RT_MULRK: {
        // MS-XLS 2.4.175 MulRk: a row, its first column, then one xf/RK pair per cell.
        needs(6);
        const row = view.getUint16(data, true);
        const firstCol = view.getUint16(data + 2, true);
        const count = Math.floor((len - 6) / 6);
        for (let k = 0; k < count; k++) index.push(row, firstCol + k, Tag.MULRK, data + 4 + k * 6);
        break;
      }
      case RT_BOOLERR:
        needs(8);
        index.push(
          view.getUint16(data, true),
          view.getUint16(data + 2, true),
          view.getUint8(data + 7) === 0 ? Tag.BOOL : Tag.ERROR,
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
          index.push(row, col, Tag.NUMBER, data);
          break;
        }
        switch (view.getUint8(data + 6)) {
          case 0: // text, in the STRING record that follows
            pendingFormulaText = strings.length;
            index.push(row, col, Tag.TEXT, strings.length);
            strings.push("");
            break;
          case 1:
            index.push(row, col, Tag.FORMULA_BOOL, data);
            break;
          case 2:
            index.push(row, col, Tag.FORMULA_ERROR, data);
            break;
          case 3: // an empty string
            index.push(row, col, Tag.TEXT, strings.length);
            strings.push("");
            break;
          default:
            break;
        }
        break;
      }
      case RT_STRING: {
        if (pendingFormulaText < 0) break;
        strings[pendingFormulaText] = readFormulaString(g, data, next, pos);
        pendingFormulaText = -1;
        break;
      }
      default:
        break;
    }
  }
  index.finish();
  return { index, strings };
}

/** MS-XLS 2.4.268 STRING: the cached text of a formula, which may run on into CONTINUE records. */
function readFormulaString(g: Globals, data: number, next: number, after: number): string {
  const { view, buf, biff } = g;
  if (biff === 5) return readByteString(buf, data, next, 2, g.decodeBytes);
  if (next - data < 3) return "";
  const segments: [number, number][] = [[data + 3, next]];
  appendContinueSegments(view, segments, after, buf.length);
  const reader = new SegmentedReader(buf, segments);
  const text = reader.readChars(view.getUint16(data, true), (view.getUint8(data + 2) & 0x01) !== 0);
  return text ?? "";
}
