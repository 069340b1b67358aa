import {
  BOF_GLOBALS,
  RT_BOUNDSHEET,
  RT_CODEPAGE,
  RT_DATEMODE,
  RT_FONT,
  RT_FORMAT,
  RT_STYLE,
  RT_WINDOW1,
  RT_XF,
} from "./biff-records.js";
import { needsWide, writeBof, writeRecord, type ByteWriter } from "./record-writer.js";
import type { XlsSheetInput } from "./xls-sheet-input.js";

// Cell XF indexes: 0..14 are the style XFs Excel expects, then our cell XFs.
export const XF_GENERAL = 15;
export const XF_DATE = 16;
export const XF_DATETIME = 17;
const FMT_DATE = 164; // MS-XLS 2.4.126: custom number formats start at 164
const FMT_DATETIME = 165;

/** Writes the globals up to the BOUNDSHEETs; returns where each BOUNDSHEET's lbPlyPos sits. */
export function writeGlobalsHead(
  w: ByteWriter,
  sheets: readonly XlsSheetInput[],
  activeSheet: number,
  date1904: boolean,
): number[] {
  writeBof(w, BOF_GLOBALS);

  writeRecord(w, RT_CODEPAGE, 2);
  w.u16(1200); // MS-XLS 2.4.52: UTF-16

  // MS-XLS 2.4.345 Window1
  writeRecord(w, RT_WINDOW1, 18);
  w.u16(0); // xWn
  w.u16(0); // yWn
  w.u16(0x3000); // dxWn
  w.u16(0x2000); // dyWn
  w.u16(0x0038); // fDspHScroll | fDspVScroll | fBotAdornment
  w.u16(activeSheet); // itabCur: a hidden sheet must not be the active one
  w.u16(activeSheet); // itabFirst
  w.u16(1); // ctabSel
  w.u16(600); // wTabRatio

  writeRecord(w, RT_DATEMODE, 2);
  w.u16(date1904 ? 1 : 0);

  // MS-XLS 2.4.122 Font; five records, since font index 4 does not exist and XFs may refer to 0..3.
  for (let i = 0; i < 5; i++) writeFont(w, "Arial");

  writeFormat(w, FMT_DATE, "yyyy-mm-dd");
  writeFormat(w, FMT_DATETIME, "yyyy-mm-dd hh:mm:ss");

  // MS-XLS 2.4.353 XF: 15 style XFs (0 is Normal), then the cell XFs.
  writeXf(w, { font: 0, format: 0, style: true, used: 0x00 });
  for (let i = 1; i < 15; i++) {
    writeXf(w, { font: i <= 2 ? 1 : i <= 4 ? 2 : 0, format: 0, style: true, used: 0xf4 });
  }
  writeXf(w, { font: 0, format: 0, style: false, used: 0x00 }); // 15 general
  writeXf(w, { font: 0, format: FMT_DATE, style: false, used: 0x04 }); // 16 date, fAtrNum
  writeXf(w, { font: 0, format: FMT_DATETIME, style: false, used: 0x04 }); // 17 date and time

  // MS-XLS 2.4.269 Style: the built-in Normal style on XF 0.
  writeRecord(w, RT_STYLE, 4);
  w.u16(0x8000); // ixfe 0, fBuiltIn
  w.u8(0); // istyBuiltIn: Normal
  w.u8(0xff); // iLevel

  // MS-XLS 2.4.28 BoundSheet8
  const offsets: number[] = [];
  for (const sheet of sheets) {
    const wide = needsWide(sheet.name);
    const length = 8 + sheet.name.length * (wide ? 2 : 1);
    writeRecord(w, RT_BOUNDSHEET, length);
    offsets.push(w.pos);
    w.u32(0); // lbPlyPos, patched once the sheet positions are known
    w.u8(sheet.hidden === true ? 1 : 0); // hsState
    w.u8(0); // dt: worksheet
    w.u8(sheet.name.length);
    w.u8(wide ? 1 : 0);
    w.text(sheet.name, wide);
  }
  return offsets;
}

function writeFont(w: ByteWriter, name: string): void {
  writeRecord(w, RT_FONT, 16 + name.length);
  w.u16(200); // dyHeight: 10 pt in twips
  w.u16(0); // flags
  w.u16(0x7fff); // icv: automatic colour
  w.u16(400); // bls: normal weight
  w.u16(0); // sss
  w.u8(0); // uls
  w.u8(0); // bFamily
  w.u8(0); // bCharSet
  w.u8(0); // reserved
  w.u8(name.length); // ShortXLUnicodeString, compressed
  w.u8(0);
  w.text(name, false);
}

// MS-XLS 2.4.126 Format
function writeFormat(w: ByteWriter, index: number, code: string): void {
  writeRecord(w, RT_FORMAT, 5 + code.length);
  w.u16(index);
  w.u16(code.length); // XLUnicodeString, compressed
  w.u8(0);
  w.text(code, false);
}

function writeXf(w: ByteWriter, xf: { font: number; format: number; style: boolean; used: number }): void {
  writeRecord(w, RT_XF, 20);
  w.u16(xf.font);
  w.u16(xf.format);
  // fLocked; a style XF has fStyle and ixfParent 0xFFF, a cell XF inherits from style XF 0.
  w.u16(xf.style ? 0xfff5 : 0x0001);
  w.u8(0x20); // alc general, alcV bottom
  w.u8(0); // trot
  w.u8(0); // indent, shrink, reading order
  w.u8(xf.used); // fAtr* bits
  w.u32(0); // borders: none
  w.u32(0);
  w.u16(0x20c0); // icvFore 64, icvBack 65: system colours
}
