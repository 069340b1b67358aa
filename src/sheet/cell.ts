/** The format-independent shape of a spreadsheet cell, as every reader under sheet/ returns it. */

export type CellKind = "text" | "number" | "date" | "bool" | "error";

export interface Cell {
  readonly row: number;
  readonly col: number;
  readonly kind: CellKind;
  /** A number (dates: the serial number), a boolean, or a string (text and error cells). */
  readonly value: number | boolean | string;
  /** What an administrator sees in the cell. */
  readonly text: string;
}
