/** What `writeXls` takes: the sheets and values a caller hands over. */

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
