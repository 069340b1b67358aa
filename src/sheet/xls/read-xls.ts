import { ENTRY_STREAM, openCfb, type DirectoryEntry } from "./cfb.js";
import { LazySheet } from "./lazy-sheet.js";
import {
  fileBiffTooOld,
  fileCorrupt,
  fileEmpty,
  fileEncrypted,
  fileNotXls,
  fileNoWorksheet,
  fileTooLarge,
  guardCorrupt,
} from "./read-errors.js";
import { readGlobals } from "./read-globals.js";
import { sniffFormat } from "./sniff.js";
import type { XlsWorkbook } from "./xls-workbook.js";

// The reader's public shapes live beside it; callers import them from here, with readXls.
export type { SheetRow, SheetVisibility, XlsSheet, XlsWorkbook } from "./xls-workbook.js";

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
  return guardCorrupt(fileName, () => {
    const { stream, streamName } = locateWorkbookStream(bytes, fileName, options.reuseInput ?? false);
    const { globals, worksheets } = readGlobals(stream, streamName, fileName);
    if (worksheets.length === 0) throw fileNoWorksheet(fileName);
    return {
      fileName,
      format: globals.biff === 8 ? "biff8" : "biff5",
      dateMode: globals.dateMode,
      sheets: worksheets.map((entry) => new LazySheet(globals, entry)),
    };
  });
}

/** The BIFF stream: the whole file for a bare BIFF file, else the "Workbook" (or BIFF5 "Book") stream. */
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
