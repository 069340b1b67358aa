import type { Cell } from "../cell.js";
import { lowerBound } from "./cell-index.js";
import { CellDecoder } from "./decode-cells.js";
import { guardCorrupt } from "./read-errors.js";
import type { Globals, WorksheetEntry } from "./read-globals.js";
import { scanSheet } from "./scan-sheet.js";
import type { SheetRow, SheetVisibility, XlsSheet } from "./xls-workbook.js";

/** A worksheet whose cells are indexed on first use; a cell object is built only when one is read. */
export class LazySheet implements XlsSheet {
  readonly name: string;
  readonly visibility: SheetVisibility;
  readonly visible: boolean;
  private decoder: CellDecoder | undefined;

  constructor(
    private readonly g: Globals,
    private readonly entry: WorksheetEntry,
  ) {
    this.name = entry.name;
    this.visibility = entry.visibility;
    this.visible = entry.visibility === "visible";
  }

  get cellCount(): number {
    return this.cellDecoder().index.length;
  }

  get rowCount(): number {
    const idx = this.cellDecoder().index;
    return idx.length === 0 ? 0 : Math.floor((idx.keys[idx.length - 1] ?? 0) / 0x10000) + 1;
  }

  get colCount(): number {
    const idx = this.cellDecoder().index;
    let max = -1;
    for (let i = 0; i < idx.length; i++) max = Math.max(max, (idx.keys[i] ?? 0) & 0xffff);
    return max + 1;
  }

  cell(row: number, col: number): Cell | undefined {
    const decoder = this.cellDecoder();
    const idx = decoder.index;
    const i = lowerBound(idx.keys, 0, idx.length, row * 0x10000 + col);
    return i < idx.length && idx.keys[i] === row * 0x10000 + col ? decoder.cellAt(i) : undefined;
  }

  *cells(): IterableIterator<Cell> {
    const decoder = this.cellDecoder();
    for (let i = 0; i < decoder.index.length; i++) yield decoder.cellAt(i);
  }

  *rows(fromRow = 0): IterableIterator<SheetRow> {
    const decoder = this.cellDecoder();
    const idx = decoder.index;
    let i = lowerBound(idx.keys, 0, idx.length, fromRow * 0x10000);
    while (i < idx.length) {
      const row = Math.floor((idx.keys[i] ?? 0) / 0x10000);
      const stop = lowerBound(idx.keys, i, idx.length, (row + 1) * 0x10000);
      yield new IndexedRow(decoder, row, i, stop);
      i = stop;
    }
  }

  findCell(predicate: (text: string) => boolean, maxRows: number, maxCols: number): Cell | undefined {
    const decoder = this.cellDecoder();
    const idx = decoder.index;
    for (let i = 0; i < idx.length; i++) {
      const key = idx.keys[i] ?? 0;
      if (key >= maxRows * 0x10000) break;
      if ((key & 0xffff) >= maxCols) continue;
      const cell = decoder.cellAt(i);
      if (predicate(cell.text)) return cell;
    }
    return undefined;
  }

  private cellDecoder(): CellDecoder {
    if (!this.decoder) {
      const { g, entry } = this;
      const scanned = guardCorrupt(g.fileName, () => scanSheet(g, entry.name, entry.offset, entry.sizeHint));
      this.decoder = new CellDecoder(g, scanned);
    }
    return this.decoder;
  }
}

/** One row: the cells at index positions [start, stop). */
class IndexedRow implements SheetRow {
  private columns: number[] | undefined;

  constructor(
    private readonly decoder: CellDecoder,
    readonly row: number,
    private readonly start: number,
    private readonly stop: number,
  ) {}

  get cols(): readonly number[] {
    if (!this.columns) {
      this.columns = [];
      for (let i = this.start; i < this.stop; i++) this.columns.push(this.decoder.colAt(i));
    }
    return this.columns;
  }

  cell(col: number): Cell | undefined {
    for (let i = this.start; i < this.stop; i++) {
      const c = this.decoder.colAt(i);
      if (c === col) return this.decoder.cellAt(i);
      if (c > col) break;
    }
    return undefined;
  }

  text(col: number): string {
    for (let i = this.start; i < this.stop; i++) {
      const c = this.decoder.colAt(i);
      if (c === col) return this.decoder.textAt(i);
      if (c > col) break;
    }
    return "";
  }

  texts(): (string | undefined)[] {
    const out: (string | undefined)[] = [];
    for (let i = this.start; i < this.stop; i++) out[this.decoder.colAt(i)] = this.decoder.textAt(i);
    return out;
  }

  cells(): Cell[] {
    const out: Cell[] = [];
    for (let i = this.start; i < this.stop; i++) out.push(this.decoder.cellAt(i));
    return out;
  }
}
