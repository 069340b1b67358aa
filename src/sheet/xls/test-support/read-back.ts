import * as XLSX from "@e965/xlsx";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { cellRef, parseCellRef } from "../../cell-ref.js";
import { readXls } from "../read-xls.js";
import type { XlsSheetInput, XlsValue } from "../write-xls.js";

/**
 * Reading back what the writer wrote, with three independent readers (SheetJS, xlrd, our own), each
 * mapped onto one shape and compared with what was given.
 */

// What a file should hold, in one shape that every reader is mapped onto

type Kind = "text" | "number" | "bool" | "date";
interface Seen {
  kind: Kind;
  /** text, number, boolean, or for dates the UTC time as `YYYY-MM-DDTHH:MM:SS`. */
  value: string | number | boolean;
}

function expectedCells(sheet: XlsSheetInput): Map<string, Seen> {
  const out = new Map<string, Seen>();
  const origin = parseCellRef(sheet.origin ?? "A1") ?? { row: 0, col: 0 };
  (sheet.rows ?? []).forEach((row, i) => {
    row.forEach((value, j) => {
      const seen = toSeen(value);
      if (seen) out.set(cellRef(origin.row + i, origin.col + j), seen);
    });
  });
  for (const [ref, value] of Object.entries(sheet.cells ?? {})) {
    const seen = toSeen(value);
    if (seen) out.set(ref.toUpperCase(), seen);
  }
  return out;
}

function toSeen(value: XlsValue): Seen | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") return { kind: "text", value };
  if (typeof value === "number") return { kind: "number", value };
  if (typeof value === "boolean") return { kind: "bool", value };
  return { kind: "date", value: value.toISOString().slice(0, 19) };
}

function usedRange(expected: Map<string, Seen>): { rows: number; cols: number } {
  let rows = 0;
  let cols = 0;
  for (const ref of expected.keys()) {
    const { row, col } = parseCellRef(ref) ?? { row: 0, col: 0 };
    rows = Math.max(rows, row + 1);
    cols = Math.max(cols, col + 1);
  }
  return { rows, cols };
}

// ---------------------------------------------------------------------------------------------------
// Reader 1: SheetJS

export function readWithSheetJs(bytes: Uint8Array): XLSX.WorkBook {
  return XLSX.read(Buffer.from(bytes), { type: "buffer", cellDates: false, cellNF: true });
}

interface DateCode {
  y: number;
  m: number;
  d: number;
  H: number;
  M: number;
  S: number;
}
// The typings leave SSF untyped; this is the one function used from it.
const SSF = XLSX.SSF as { parse_date_code(v: number, opts: { date1904: boolean }): DateCode };

function seenBySheetJs(cell: XLSX.CellObject | undefined, date1904: boolean): Seen | undefined {
  if (!cell) return undefined;
  if (cell.t === "s") return { kind: "text", value: String(cell.v) };
  if (cell.t === "b") return { kind: "bool", value: cell.v === true };
  if (cell.t !== "n") return { kind: "text", value: `unexpected cell type ${cell.t}` };
  const v = Number(cell.v);
  if (!/yyyy-mm-dd/.test(cell.z === undefined ? "" : String(cell.z))) return { kind: "number", value: v };
  const d = SSF.parse_date_code(v, { date1904 });
  return {
    kind: "date",
    value: `${pad(d.y, 4)}-${pad(d.m)}-${pad(d.d)}T${pad(d.H)}:${pad(d.M)}:${pad(d.S)}`,
  };
}

/** One comparison per cell would make vitest's `expect` the slowest part of the big tests. */
function sameSeen(a: Seen | undefined, b: Seen | undefined): boolean {
  return a?.kind === b?.kind && a?.value === b?.value;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function checkWithSheetJs(bytes: Uint8Array, sheets: readonly XlsSheetInput[], date1904 = false): void {
  const wb = readWithSheetJs(bytes);
  expect(wb.SheetNames).toEqual(sheets.map((s) => s.name));
  expect(wb.Workbook?.WBProps?.date1904 ?? false).toBe(date1904);
  sheets.forEach((sheet, i) => {
    expect(wb.Workbook?.Sheets?.[i]?.Hidden ?? 0, `hidden state of ${sheet.name}`).toBe(sheet.hidden ? 1 : 0);
    const ws = wb.Sheets[sheet.name];
    expect(ws).toBeDefined();
    if (!ws) return;
    const expected = expectedCells(sheet);
    const refs = Object.keys(ws).filter((k) => !k.startsWith("!"));
    expect(refs.length, `cell count of ${sheet.name}`).toBe(expected.size);
    const problems: string[] = [];
    for (const [ref, want] of expected) {
      const cell = ws[ref] as XLSX.CellObject | undefined;
      const got = seenBySheetJs(cell, date1904);
      if (!sameSeen(got, want))
        problems.push(`${ref}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      if (want.kind === "date") {
        const midnight = typeof want.value === "string" && want.value.endsWith("T00:00:00");
        const format = midnight ? "yyyy-mm-dd" : "yyyy-mm-dd hh:mm:ss";
        if (cell?.z !== format) problems.push(`${ref}: format ${String(cell?.z)}, want ${format}`);
      }
    }
    expect(problems, `SheetJS cells of ${sheet.name}`).toEqual([]);
  });
}

// ---------------------------------------------------------------------------------------------------
// Reader 2: xlrd 1.2.0 under the system Python

const PYTHON = "/usr/bin/python3";
const XLRD_SCRIPT = String.raw`
import json, sys
import xlrd
args = json.loads(sys.argv[1])
book = xlrd.open_workbook(args["path"], ragged_rows=True)  # rows end at their last cell
out = {"datemode": book.datemode, "sheets": []}
samples = args.get("samples")
for index, sh in enumerate(book.sheets()):
    info = {"name": sh.name, "visibility": sh.visibility, "nrows": sh.nrows, "ncols": sh.ncols,
            "cells": [], "counts": {}, "numberSum": 0}
    def seen(cell):
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode).isoformat()
        return cell.value
    for r in range(sh.nrows):
        for c, cell in enumerate(sh.row(r)):
            t = cell.ctype
            if t == xlrd.XL_CELL_EMPTY:
                continue
            info["counts"][str(t)] = info["counts"].get(str(t), 0) + 1
            if t == xlrd.XL_CELL_NUMBER:
                info["numberSum"] += cell.value
            if samples is None:
                info["cells"].append([r, c, t, seen(cell)])
    if samples is not None:
        for s, r, c in samples:
            if s == index:
                cell = sh.cell(r, c) if r < sh.nrows and c < sh.ncols else None
                info["cells"].append([r, c, cell.ctype if cell else 0, seen(cell) if cell else None])
    out["sheets"].append(info)
print(json.dumps(out))
`;

interface XlrdSheet {
  name: string;
  visibility: number;
  nrows: number;
  ncols: number;
  cells: [number, number, number, string | number | null][];
  counts: Record<string, number>;
  numberSum: number;
}
interface XlrdBook {
  datemode: number;
  sheets: XlrdSheet[];
}

let xlrdState: boolean | undefined;

/** Runs xlrd on the bytes, or returns undefined (loudly) where xlrd is missing outside CI. */
export function readWithXlrd(
  bytes: Uint8Array,
  what: string,
  samples?: [number, number, number][],
): XlrdBook | undefined {
  if (xlrdState === undefined) {
    try {
      execFileSync(PYTHON, ["-c", "import xlrd"], { stdio: "ignore" });
      xlrdState = true;
    } catch {
      xlrdState = false;
    }
  }
  if (!xlrdState) {
    if (process.env.CI === "true") throw new Error(`xlrd is missing under ${PYTHON}; CI must have it`);
    console.warn(`!!! xlrd (Python, ${PYTHON}) is not installed: SKIPPED the xlrd check of "${what}"`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), "write-xls-"));
  try {
    const path = join(dir, "book.xls");
    writeFileSync(path, bytes);
    const json = execFileSync(PYTHON, ["-c", XLRD_SCRIPT, JSON.stringify({ path, samples })], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(json) as XlrdBook;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const XL_TEXT = 1;
export const XL_NUMBER = 2;
const XL_DATE = 3;
const XL_BOOLEAN = 4;

function seenByXlrd(type: number, value: string | number | null): Seen {
  switch (type) {
    case XL_TEXT:
      return { kind: "text", value: String(value) };
    case XL_NUMBER:
      return { kind: "number", value: Number(value) };
    case XL_DATE:
      return { kind: "date", value: String(value) };
    case XL_BOOLEAN:
      return { kind: "bool", value: value === 1 };
    default:
      return { kind: "text", value: `unexpected xlrd type ${type}` };
  }
}

function checkWithXlrd(
  bytes: Uint8Array,
  sheets: readonly XlsSheetInput[],
  what: string,
  date1904 = false,
): void {
  const book = readWithXlrd(bytes, what);
  if (!book) return;
  expect(book.datemode).toBe(date1904 ? 1 : 0);
  expect(book.sheets.map((s) => s.name)).toEqual(sheets.map((s) => s.name));
  sheets.forEach((sheet, i) => {
    const got = book.sheets[i];
    if (!got) throw new Error(`xlrd lost sheet ${sheet.name}`);
    expect(got.visibility, `visibility of ${sheet.name}`).toBe(sheet.hidden ? 1 : 0);
    const expected = expectedCells(sheet);
    const range = usedRange(expected);
    expect([got.nrows, got.ncols], `size of ${sheet.name}`).toEqual([range.rows, range.cols]);
    expect(got.cells.length, `cell count of ${sheet.name}`).toBe(expected.size);
    const problems: string[] = [];
    for (const [r, c, type, value] of got.cells) {
      const ref = cellRef(r, c);
      const seen = seenByXlrd(type, value);
      const want = expected.get(ref);
      if (!sameSeen(seen, want))
        problems.push(`${ref}: got ${JSON.stringify(seen)}, want ${JSON.stringify(want)}`);
    }
    expect(problems, `xlrd cells of ${sheet.name}`).toEqual([]);
  });
}

// ---------------------------------------------------------------------------------------------------
// Reader 3: our own

function checkWithOurReader(bytes: Uint8Array, sheets: readonly XlsSheetInput[], date1904 = false): void {
  const wb = readXls(bytes, { fileName: "written.xls" });
  expect(wb.format).toBe("biff8");
  expect(wb.dateMode).toBe(date1904 ? 1904 : 1900);
  expect(wb.sheets.map((s) => s.name)).toEqual(sheets.map((s) => s.name));
  sheets.forEach((sheet, i) => {
    const ours = wb.sheets[i];
    expect(ours?.visible, `visibility of ${sheet.name}`).toBe(!sheet.hidden);
    const expected = expectedCells(sheet);
    expect(ours?.cellCount, `cell count of ${sheet.name}`).toBe(expected.size);
    const problems: string[] = [];
    for (const cell of ours?.cells() ?? []) {
      const ref = cellRef(cell.row, cell.col);
      const got: Seen =
        cell.kind === "date"
          ? { kind: "date", value: cell.text.length === 10 ? `${cell.text}T00:00:00` : cell.text }
          : { kind: cell.kind === "error" ? "text" : cell.kind, value: cell.value };
      if (!sameSeen(got, expected.get(ref))) {
        problems.push(`${ref}: got ${JSON.stringify(got)}, want ${JSON.stringify(expected.get(ref))}`);
      }
    }
    expect(problems, `our reader's cells of ${sheet.name}`).toEqual([]);
  });
}

/** SheetJS, xlrd and our reader must all read back exactly what was written. */
export function checkWithBothReaders(
  bytes: Uint8Array,
  sheets: readonly XlsSheetInput[],
  what: string,
  date1904 = false,
): void {
  checkWithOurReader(bytes, sheets, date1904);
  checkWithSheetJs(bytes, sheets, date1904);
  checkWithXlrd(bytes, sheets, what, date1904);
}
