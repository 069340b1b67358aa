/**
 * A minimal Excel 97-2003 (.xls, BIFF8) writer: text, numbers, booleans and dates on one or more sheets,
 * written from MS-XLS and packed into a compound file by `writeCfb`. This file assembles the Workbook
 * stream: the globals, the shared strings, then each sheet, with the BOUNDSHEETs pointing at them.
 */

import { RT_EOF } from "./biff-records.js";
import { writeCfb } from "./cfb-write.js";
import { ByteWriter, writeRecord } from "./record-writer.js";
import { writeGlobalsHead } from "./write-globals.js";
import { writeSheet } from "./write-sheet.js";
import { SharedStrings, writeSst } from "./write-sst.js";
import type { WriteXlsOptions, XlsSheetInput } from "./xls-sheet-input.js";

// The writer's public shapes live beside it; callers import them from here, with writeXls.
export type { WriteXlsOptions, XlsSheetInput, XlsValue } from "./xls-sheet-input.js";

const MAX_SHEET_NAME = 31;

/**
 * Writes a workbook. Throws an Error on input Excel cannot hold: a cell outside A1:IV65536, a sheet name
 * that is empty, longer than 31 characters, repeated (case-insensitively) or has a forbidden character,
 * no visible sheet, text over 32767 characters, a non-finite number, or a date outside the date system.
 */
export function writeXls(sheets: readonly XlsSheetInput[], options: WriteXlsOptions = {}): Uint8Array {
  const date1904 = options.dateMode === 1904;
  assertSheetNames(sheets);
  const activeSheet = sheets.findIndex((s) => s.hidden !== true);
  if (activeSheet < 0) throw new Error("at least one sheet must be visible");

  const sst = new SharedStrings();
  const sheetStreams = sheets.map((sheet, i) => writeSheet(sheet, i === activeSheet, sst, date1904));

  const globals = new ByteWriter(4096 + sst.byteEstimate());
  const boundSheetOffsets = writeGlobalsHead(globals, sheets, activeSheet, date1904);
  writeSst(globals, sst);
  writeRecord(globals, RT_EOF, 0);

  // MS-XLS 2.4.28 BoundSheet8.lbPlyPos: the stream position of each sheet's BOF.
  let sheetStart = globals.pos;
  sheetStreams.forEach((sheetStream, i) => {
    globals.buf.writeUInt32LE(sheetStart, boundSheetOffsets[i] ?? 0);
    sheetStream.relocate(sheetStart);
    sheetStart += sheetStream.writer.pos;
  });

  return writeCfb([
    { name: "Workbook", content: [globals.bytes(), ...sheetStreams.map((s) => s.writer.bytes())] },
  ]);
}

function assertSheetNames(sheets: readonly XlsSheetInput[]): void {
  if (sheets.length === 0) throw new Error("a workbook needs at least one sheet");
  if (sheets.length > 0xffff) throw new Error("too many sheets");
  const seen = new Set<string>();
  for (const { name } of sheets) {
    if (name.length < 1 || name.length > MAX_SHEET_NAME) {
      throw new Error(`sheet name must be 1..${MAX_SHEET_NAME} characters: "${name}"`);
    }
    if (/[:\\/?*[\]]/.test(name) || name.startsWith("'") || name.endsWith("'")) {
      throw new Error(`sheet name has a character Excel forbids: "${name}"`);
    }
    // Excel compares sheet names without regard to case.
    const key = name.toUpperCase();
    if (seen.has(key)) throw new Error(`duplicate sheet name: "${name}"`);
    seen.add(key);
  }
}
