import type { Cell } from "../cell.js";

/** What `readXls` returns: the shapes callers see, apart from how the reader builds them. */

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
