import { AppError } from "../../errors/app-error.js";
import type { Cell, CellKind } from "../cell.js";
import { errorText } from "./biff-records.js";
import { type CellIndex } from "./cell-index.js";
import * as Tag from "./cell-tags.js";
import {
  classifyNumberFormat,
  formatDateSerial,
  formatNumber,
  isDateSerial,
  PLAIN_NUMBER,
  type NumberStyle,
} from "./number-format.js";
import type { Globals } from "./read-globals.js";
import type { ScannedSheet } from "./scan-sheet.js";

/** Builds a scanned sheet's cells, one at a time, from the records its index points into. */
export class CellDecoder {
  readonly index: CellIndex;
  private readonly strings: readonly string[];
  private readonly styles = new Map<number, NumberStyle>();

  constructor(
    private readonly g: Globals,
    scanned: ScannedSheet,
  ) {
    this.index = scanned.index;
    this.strings = scanned.strings;
  }

  /** Column of the i-th indexed cell. */
  colAt(i: number): number {
    return (this.index.keys[i] ?? 0) & 0xffff;
  }

  /** Builds the i-th indexed cell. */
  cellAt(i: number): Cell {
    const idx = this.index;
    const key = idx.keys[i] ?? 0;
    const row = Math.floor(key / 0x10000);
    const col = key & 0xffff;
    const ref = idx.refs[i] ?? 0;
    const { view } = this.g;
    switch (idx.tags[i] ?? 0) {
      case Tag.SST: {
        const text = this.g.sst[view.getUint32(ref + 6, true)] ?? "";
        return { row, col, kind: "text", value: text, text };
      }
      case Tag.TEXT: {
        const text = this.strings[ref] ?? "";
        return { row, col, kind: "text", value: text, text };
      }
      case Tag.NUMBER: // MS-XLS 2.4.180 Number, or 2.4.127 Formula's cached double
        return this.numberCell(row, col, view.getFloat64(ref + 6, true), view.getUint16(ref + 4, true));
      case Tag.RK: // MS-XLS 2.4.220 RK
        return this.numberCell(
          row,
          col,
          decodeRk(view.getUint32(ref + 6, true)),
          view.getUint16(ref + 4, true),
        );
      case Tag.MULRK: // one xf/RkNumber pair of a MS-XLS 2.4.175 MulRk
        return this.numberCell(row, col, decodeRk(view.getUint32(ref + 2, true)), view.getUint16(ref, true));
      case Tag.BOOL: // MS-XLS 2.4.24 BoolErr
        return boolCell(row, col, view.getUint8(ref + 6) !== 0);
      case Tag.FORMULA_BOOL: // MS-XLS 2.5.133 FormulaValue, fExprO 1
        return boolCell(row, col, view.getUint8(ref + 8) !== 0);
      case Tag.ERROR:
        return errorCell(row, col, view.getUint8(ref + 6));
      case Tag.FORMULA_ERROR:
        return errorCell(row, col, view.getUint8(ref + 8));
      default:
        throw new AppError("file_corrupt", "internal: unknown cell tag");
    }
  }

  /** The i-th indexed cell's text, without building the cell: the hot path of a full read. */
  textAt(i: number): string {
    const idx = this.index;
    const ref = idx.refs[i] ?? 0;
    const tag = idx.tags[i];
    if (tag === Tag.SST) return this.g.sst[this.g.view.getUint32(ref + 6, true)] ?? "";
    if (tag === Tag.TEXT) return this.strings[ref] ?? "";
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

  /** MS-XLS 2.4.353 XF ifmt, then 2.4.126 FORMAT: how the cell's number is shown, cached per XF. */
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
