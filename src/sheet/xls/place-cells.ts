import { cellRef, parseCellRef } from "../cell-ref.js";
import type { XlsSheetInput, XlsValue } from "./xls-sheet-input.js";

/** Where a sheet's values land: its `rows` block and its `cells`, merged into rows in order. */

export const MAX_ROW = 65535;
export const MAX_COL = 255;

export interface RowCells {
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

export interface ExtraCell {
  readonly col: number;
  readonly value: XlsValue;
}

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
export function collectRows(sheet: XlsSheetInput): RowCells[] {
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
export function groupRowBlocks(rows: readonly RowCells[]): RowCells[][] {
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
