import { describe, it, expect } from "vitest";
import * as XLSX from "@e965/xlsx";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cellRef, parseCellRef } from "../cell-ref.js";
import { writeCfb } from "./cfb-write.js";
import { readXls } from "./read-xls.js";
import { writeXls, type XlsSheetInput, type XlsValue } from "./write-xls.js";

// ---------------------------------------------------------------------------------------------------
// What a file should hold, in one shape that both readers are mapped onto

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

function readWithSheetJs(bytes: Uint8Array): XLSX.WorkBook {
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
function readWithXlrd(
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
const XL_NUMBER = 2;
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
function checkWithBothReaders(
  bytes: Uint8Array,
  sheets: readonly XlsSheetInput[],
  what: string,
  date1904 = false,
): void {
  checkWithOurReader(bytes, sheets, date1904);
  checkWithSheetJs(bytes, sheets, date1904);
  checkWithXlrd(bytes, sheets, what, date1904);
}

// ---------------------------------------------------------------------------------------------------
// An independent, strict reading of the compound file (MS-CFB) and of BIFF records

const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
const FATSECT = 0xfffffffd;
const DIFSECT = 0xfffffffc;
const NOSTREAM = 0xffffffff;

interface CfbFile {
  header: { fatSectors: number; difatSectors: number; miniFatSectors: number; sectorCount: number };
  streams: Map<string, Buffer>;
}

/** Reads the container, asserting every sector is owned exactly once and the tree is a red-black BST. */
function readCfbStrictly(bytes: Uint8Array): CfbFile {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  expect([...buf.subarray(0, 8)]).toEqual([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  expect([buf.readUInt16LE(24), buf.readUInt16LE(26), buf.readUInt16LE(28)]).toEqual([0x3e, 3, 0xfffe]);
  expect([buf.readUInt16LE(30), buf.readUInt16LE(32), buf.readUInt32LE(40)]).toEqual([9, 6, 0]);
  expect(buf.readUInt32LE(56)).toBe(4096);
  expect(buf.length % 512).toBe(0);
  const sectorCount = buf.length / 512 - 1;
  const at = (sector: number): number => 512 * (sector + 1);
  const fatSectorCount = buf.readUInt32LE(44);
  const difatCount = buf.readUInt32LE(72);

  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = buf.readUInt32LE(76 + 4 * i);
    if (i < fatSectorCount) fatSectors.push(s);
    else expect(s).toBe(FREESECT);
  }
  const difatSectors: number[] = [];
  for (let d = buf.readUInt32LE(68); d !== ENDOFCHAIN; d = buf.readUInt32LE(at(d) + 508)) {
    expect(d).toBeLessThan(sectorCount);
    difatSectors.push(d);
    for (let i = 0; i < 127; i++) {
      const s = buf.readUInt32LE(at(d) + 4 * i);
      if (fatSectors.length < fatSectorCount) fatSectors.push(s);
      else expect(s).toBe(FREESECT);
    }
  }
  expect(difatSectors.length).toBe(difatCount);
  expect(fatSectors.length).toBe(fatSectorCount);

  const fat: number[] = [];
  for (const s of fatSectors) for (let i = 0; i < 128; i++) fat.push(buf.readUInt32LE(at(s) + 4 * i));
  expect(fat.length).toBeGreaterThanOrEqual(sectorCount);
  expect(
    fat.slice(sectorCount).every((entry) => entry === FREESECT),
    "FAT entries past the end are free",
  ).toBe(true);

  const owned = new Uint8Array(sectorCount);
  expect(
    fatSectors.every((s) => fat[s] === FATSECT),
    "FAT sectors marked FATSECT",
  ).toBe(true);
  expect(
    difatSectors.every((s) => fat[s] === DIFSECT),
    "DIFAT sectors marked DIFSECT",
  ).toBe(true);
  for (const s of [...fatSectors, ...difatSectors]) owned[s] = 1;
  const followChain = (table: number[], start: number, marks: Uint8Array): number[] => {
    const sectors: number[] = [];
    for (let s = start; s !== ENDOFCHAIN; s = table[s] ?? FREESECT) {
      if (s >= marks.length || marks[s]) throw new Error(`bad or shared sector ${s}`);
      marks[s] = 1;
      sectors.push(s);
    }
    return sectors;
  };
  const readChain = (sectors: number[], size: number): Buffer =>
    Buffer.concat(sectors.map((s) => buf.subarray(at(s), at(s) + 512))).subarray(0, size);

  const dirSectors = followChain(fat, buf.readUInt32LE(48), owned);
  const dir = readChain(dirSectors, dirSectors.length * 512);
  interface Entry {
    name: string;
    type: number;
    color: number;
    left: number;
    right: number;
    child: number;
    start: number;
    size: number;
  }
  const entries: Entry[] = [];
  for (let off = 0; off < dir.length; off += 128) {
    const nameBytes = dir.readUInt16LE(off + 64);
    entries.push({
      name: dir.toString("utf16le", off, off + Math.max(0, nameBytes - 2)),
      type: dir[off + 66] ?? 0,
      color: dir[off + 67] ?? 0,
      left: dir.readUInt32LE(off + 68),
      right: dir.readUInt32LE(off + 72),
      child: dir.readUInt32LE(off + 76),
      start: dir.readUInt32LE(off + 116),
      size: dir.readUInt32LE(off + 120) + dir.readUInt32LE(off + 124) * 2 ** 32,
    });
  }
  const root = entries[0];
  if (root?.type !== 5) throw new Error("entry 0 is not the root");
  expect(root.name).toBe("Root Entry");

  const miniFatSectors = followChain(fat, buf.readUInt32LE(60), owned);
  expect(miniFatSectors.length).toBe(buf.readUInt32LE(64));
  const miniFatBytes = readChain(miniFatSectors, miniFatSectors.length * 512);
  const miniFat: number[] = [];
  for (let i = 0; i < miniFatBytes.length; i += 4) miniFat.push(miniFatBytes.readUInt32LE(i));
  const miniStreamSectors = root.size > 0 ? followChain(fat, root.start, owned) : [];
  expect(miniStreamSectors.length).toBe(Math.ceil(root.size / 512));
  const miniStream = readChain(miniStreamSectors, root.size);
  const miniOwned = new Uint8Array(Math.ceil(root.size / 64));

  // MS-CFB 2.6.4 red-black tree of the root's children, in name order.
  const names: string[] = [];
  const blackHeights = new Set<number>();
  const walk = (id: number, parentRed: boolean, blacks: number): void => {
    if (id === NOSTREAM) {
      blackHeights.add(blacks);
      return;
    }
    const e = entries[id];
    if (!e) throw new Error(`dangling entry ${id}`);
    const red = e.color === 0;
    expect(parentRed && red, "red node with a red parent").toBe(false);
    walk(e.left, red, blacks + (red ? 0 : 1));
    names.push(e.name);
    walk(e.right, red, blacks + (red ? 0 : 1));
  };
  const top = entries[root.child];
  expect(top?.color, "the tree's root is black").toBe(1);
  walk(root.child, false, 0);
  expect(blackHeights.size, "one black height").toBe(1);
  const sorted = [...names].sort((a, b) =>
    a.length !== b.length ? a.length - b.length : a.toUpperCase() < b.toUpperCase() ? -1 : 1,
  );
  expect(names).toEqual(sorted);

  const streams = new Map<string, Buffer>();
  for (const e of entries.slice(1)) {
    if (e.type === 0) continue;
    expect(e.type).toBe(2);
    if (e.size === 0) {
      streams.set(e.name, Buffer.alloc(0));
    } else if (e.size < 4096) {
      const minis = followChain(miniFat, e.start, miniOwned);
      expect(minis.length).toBe(Math.ceil(e.size / 64));
      streams.set(
        e.name,
        Buffer.concat(minis.map((m) => miniStream.subarray(m * 64, m * 64 + 64))).subarray(0, e.size),
      );
    } else {
      const sectors = followChain(fat, e.start, owned);
      expect(sectors.length).toBe(Math.ceil(e.size / 512));
      streams.set(e.name, readChain(sectors, e.size));
    }
  }
  expect(names.length).toBe(streams.size);
  expect(
    owned.every((o) => o === 1),
    "every sector belongs to something",
  ).toBe(true);
  return {
    header: {
      fatSectors: fatSectorCount,
      difatSectors: difatCount,
      miniFatSectors: miniFatSectors.length,
      sectorCount,
    },
    streams,
  };
}

interface BiffRecord {
  type: number;
  pos: number;
  data: Buffer;
}

function readRecords(stream: Buffer): BiffRecord[] {
  const records: BiffRecord[] = [];
  let longest = 0;
  let pos = 0;
  while (pos + 4 <= stream.length) {
    const length = stream.readUInt16LE(pos + 2);
    longest = Math.max(longest, length);
    records.push({ type: stream.readUInt16LE(pos), pos, data: stream.subarray(pos + 4, pos + 4 + length) });
    pos += 4 + length;
  }
  expect(pos, "records end where the stream ends").toBe(stream.length);
  expect(longest, "MS-XLS 2.1.4: record data at most 8224 bytes").toBeLessThanOrEqual(8224);
  return records;
}

function workbookStream(bytes: Uint8Array): Buffer {
  const stream = readCfbStrictly(bytes).streams.get("Workbook");
  if (!stream) throw new Error("no Workbook stream");
  return stream;
}

// ---------------------------------------------------------------------------------------------------

const UNICODE_SAMPLES = [
  "Ünïcödé café",
  "日本語のテキスト",
  "Привет, мир",
  "smile 😀 here",
  "😀",
  "Ωmega",
  "ÿ",
];

function dateSamples(date1904: boolean): Date[] {
  const dates = [
    new Date(Date.UTC(2024, 1, 29)), // midnight, leap day
    new Date(Date.UTC(2024, 1, 29, 13, 45, 30)),
    new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
    new Date(Date.UTC(1970, 0, 1, 12)),
    new Date(Date.UTC(1904, 0, 2)),
    new Date(Date.UTC(9999, 11, 31)),
  ];
  // Before 1900-03-01 the 1900 system is off by Excel's phantom 1900-02-29.
  if (!date1904)
    dates.push(
      new Date(Date.UTC(1900, 0, 1)),
      new Date(Date.UTC(1900, 1, 28, 6)),
      new Date(Date.UTC(1900, 2, 1)),
    );
  return dates;
}

describe("writeXls", () => {
  it("writes one sheet of text, numbers, booleans and empty strings", () => {
    const sheets: XlsSheetInput[] = [
      {
        name: "Users",
        rows: [
          ["email", "name", "quota", "active"],
          ["ana@example.com", "Ana", 10, true],
          ["bo@example.com", "", 0.1, false],
          ["", null, -3, undefined, "after a gap"],
          [null, "numbers", 1e-7, 442079460000, -0.5, 0, 2 ** 53 - 1, -1e308],
        ],
      },
    ];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "one sheet");
  });

  it("writes several sheets, a hidden one, a header at M99 and cells at the limits", () => {
    const sheets: XlsSheetInput[] = [
      { name: "Hidden first", hidden: true, rows: [["secret", 1]] },
      {
        name: "Import",
        origin: "M99",
        rows: [["email", "first name"], [], [null, null], ["x@example.com", "X"], [], ["y@example.com"]],
        cells: { A1: "title above blank rows", N120: "below", o99: "lower-case ref" },
      },
      { name: "Limits", cells: { A65536: "last row", IV1: "last column", IV65536: 65536 * 256 } },
      { name: "Empty" },
      { name: "Unicode Ж 😀", rows: [UNICODE_SAMPLES] },
    ];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "several sheets");

    // BoundSheet8.lbPlyPos points at each sheet's BOF (MS-XLS 2.4.28).
    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const bof = records[0];
    expect(bof?.type).toBe(0x0809);
    expect([bof?.data.readUInt16LE(0), bof?.data.readUInt16LE(2)]).toEqual([0x0600, 0x0005]);
    const boundSheets = records.filter((r) => r.type === 0x0085);
    expect(boundSheets.map((r) => r.data[4])).toEqual([1, 0, 0, 0, 0]);
    for (const r of boundSheets) {
      const pos = r.data.readUInt32LE(0);
      expect([stream.readUInt16LE(pos), stream.readUInt16LE(pos + 4), stream.readUInt16LE(pos + 6)]).toEqual([
        0x0809, 0x0600, 0x0010,
      ]);
    }
    // WINDOW1 makes the first visible sheet active; only its WINDOW2 is selected.
    const window1 = records.find((r) => r.type === 0x003d);
    expect(window1?.data.readUInt16LE(10)).toBe(1);
    const selected = records.filter((r) => r.type === 0x023e).map((r) => ((r.data[1] ?? 0) & 0x02) !== 0);
    expect(selected).toEqual([false, true, false, false, false]);
  });

  it("writes Unicode text in compressed and UTF-16 form", () => {
    const sheets: XlsSheetInput[] = [
      { name: "Text", rows: UNICODE_SAMPLES.map((s) => [s, s.length]), cells: { C1: "\u00e9\u00e8\u00ff" } },
    ];
    checkWithBothReaders(writeXls(sheets), sheets, "unicode");
  });

  for (const dateMode of [1900, 1904] as const) {
    it(`writes dates in the ${dateMode} date system with date formats`, () => {
      const dates = dateSamples(dateMode === 1904);
      const sheets: XlsSheetInput[] = [
        {
          name: "Dates",
          rows: dates.map((d, i) => [d, i]),
          cells: { D1: new Date(Date.UTC(2000, 0, 1, 0, 0, 1)) },
        },
      ];
      const bytes = writeXls(sheets, { dateMode });
      checkWithBothReaders(bytes, sheets, `dates ${dateMode}`, dateMode === 1904);
    });
  }

  it("splits a large SST into CONTINUE records, strings straddling the boundaries", () => {
    // The first SST record holds 8 bytes of counts, then a 3-byte header per string. With a compressed
    // string of 8010 characters first, a UTF-16 string's 100th unit is the last that fits: put the high
    // surrogate of an emoji there.
    const strings = ["a".repeat(8010), `${"Ж".repeat(99)}😀 after the emoji`];
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabets = ["abcdefghij", "àéîõüÿçñ", "ЖЩЮЯабвг", "日本語中文字", "😀🎉👍", "a😀Ж日é"];
    for (let i = 0; i < 90; i++) {
      const alphabet = Array.from(alphabets[i % alphabets.length] ?? "x"); // whole code points
      let s = `#${i} `;
      const length = 1 + random(i % 7 === 0 ? 9000 : 2500);
      while (s.length < length) s += alphabet[random(alphabet.length)] ?? "";
      strings.push(s);
    }
    strings.push("", "last");
    const rows = strings.map((s, i) => [s, i, strings[i % 5] ?? ""]);
    const sheets: XlsSheetInput[] = [{ name: "Strings", rows }];
    const bytes = writeXls(sheets);
    checkWithBothReaders(bytes, sheets, "large SST");

    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const sstIndex = records.findIndex((r) => r.type === 0x00fc);
    const sst = records[sstIndex];
    if (!sst) throw new Error("no SST");
    let end = sstIndex + 1;
    while (records[end]?.type === 0x003c) end++;
    const parts = records.slice(sstIndex, end);
    expect(parts.length).toBeGreaterThan(10);
    expect(sst.data.readUInt32LE(0)).toBe(rows.length * 2); // cstTotal: column A and C are text
    expect(sst.data.readUInt32LE(4)).toBe(strings.length); // cstUnique
    // The emoji's surrogate pair moved whole into the first CONTINUE, after its fHighByte.
    const first = parts[1];
    expect(first?.data[0]).toBe(1);
    expect(first?.data.toString("utf16le", 1, 5)).toBe("😀");

    // MS-XLS 2.4.107 ExtSST: each bucket's ib/cbOffset point at its first string's header.
    const extSst = records[end];
    expect(extSst?.type).toBe(0x00ff);
    if (!extSst) return;
    const dsst = extSst.data.readUInt16LE(0);
    expect(dsst).toBe(8);
    const buckets = (extSst.data.length - 2) / 8;
    expect(buckets).toBe(Math.ceil(strings.length / dsst));
    const partStarts = new Set(parts.map((p) => p.pos));
    for (let b = 0; b < buckets; b++) {
      const ib = extSst.data.readUInt32LE(2 + 8 * b);
      const cbOffset = extSst.data.readUInt16LE(6 + 8 * b);
      expect(partStarts.has(ib - cbOffset), `bucket ${b} record start`).toBe(true);
      expect(stream.readUInt16LE(ib), `bucket ${b} cch`).toBe(strings[b * dsst]?.length);
    }
  });

  it("keeps the CFB container valid for a small file (mini stream)", () => {
    const bytes = writeXls([{ name: "Tiny", rows: [["a", 1]] }]);
    const cfb = readCfbStrictly(bytes);
    const stream = cfb.streams.get("Workbook");
    expect(stream?.length).toBeLessThan(4096);
    expect(cfb.header).toEqual({
      fatSectors: 1,
      difatSectors: 0,
      miniFatSectors: 1,
      sectorCount: cfb.header.sectorCount,
    });
    // FAT, directory, mini FAT and the mini stream's sectors, and nothing else.
    expect(cfb.header.sectorCount).toBe(3 + Math.ceil(Math.ceil((stream?.length ?? 0) / 64) / 8));
    expect(bytes.length).toBe(512 * (1 + cfb.header.sectorCount));
  });

  it("packs several streams, small and large, under a valid red-black directory tree", () => {
    for (const count of [1, 2, 3, 4, 5, 6, 7, 8, 13]) {
      const sizes = [0, 10, 4095, 4096, 5000, 64];
      const streams = Array.from({ length: count }, (_, i) => ({
        name: `${"s".repeat(i % 3)}Stream${i}`,
        content: Buffer.alloc(sizes[i % sizes.length] ?? 0, i + 1),
      }));
      const cfb = readCfbStrictly(writeCfb(streams));
      for (const s of streams)
        expect(cfb.streams.get(s.name)?.equals(s.content), `${count}: ${s.name}`).toBe(true);
    }
    expect(() =>
      writeCfb([
        { name: "A", content: new Uint8Array(1) },
        { name: "a", content: new Uint8Array(1) },
      ]),
    ).toThrow(/duplicate/);
  });

  it("writes row blocks with ROW, DBCell and Index records that point where they should", () => {
    const rows = Array.from({ length: 70 }, (_, r) => (r % 3 === 1 ? [] : [r, `row ${r}`]));
    const bytes = writeXls([{ name: "Blocks", rows, cells: { C200: "far" } }]);
    const stream = workbookStream(bytes);
    const records = readRecords(stream);
    const recordAt = new Map(records.map((r) => [r.pos, r]));
    const index = records.find((r) => r.type === 0x020b);
    if (!index) throw new Error("no Index");
    expect([index.data.readUInt32LE(4), index.data.readUInt32LE(8)]).toEqual([0, 200]);
    expect(recordAt.get(index.data.readUInt32LE(12))?.type).toBe(0x0055); // DefColWidth
    const dbCells = (index.data.length - 16) / 4;
    expect(dbCells).toBe(4); // rows 0-31, 32-63, 64-69, 199
    for (let b = 0; b < dbCells; b++) {
      const dbCellPos = index.data.readUInt32LE(16 + 4 * b);
      const dbCell = recordAt.get(dbCellPos);
      expect(dbCell?.type).toBe(0x00d7);
      if (!dbCell) continue;
      const firstRowPos = dbCellPos - dbCell.data.readUInt32LE(0);
      let cellPos = firstRowPos + 20;
      for (let k = 0; 4 + 2 * k < dbCell.data.length; k++) {
        const rowRecord = recordAt.get(firstRowPos + 20 * k);
        expect(rowRecord?.type).toBe(0x0208);
        cellPos += dbCell.data.readUInt16LE(4 + 2 * k);
        const cell = recordAt.get(cellPos);
        expect(cell?.data.readUInt16LE(0), "first cell of the row").toBe(rowRecord?.data.readUInt16LE(0));
        expect(cell?.data.readUInt16LE(2)).toBe(rowRecord?.data.readUInt16LE(2)); // colMic
      }
    }
  });

  it("writes a 20,000 x 16 sheet (a FAT of many sectors, no DIFAT)", () => {
    const departments = ["Sales", "Support", "Engineering", "Finance", "Legal", "Ops", "HR", "R&D"];
    const rows: XlsValue[][] = [];
    for (let r = 0; r < 20_000; r++) {
      const row: XlsValue[] = [`user${r}@example.com`, departments[r % 8], r, r % 2 === 0];
      for (let c = 4; c < 16; c++) row.push(c % 3 === 0 ? `tag ${(r * c) % 50}` : (r * c) / 4);
      rows.push(row);
    }
    rows[1234] = [new Date(Date.UTC(2023, 5, 1))];
    const sheets: XlsSheetInput[] = [{ name: "Big", rows }];
    const bytes = writeXls(sheets);
    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.fatSectors).toBeGreaterThan(50);
    expect(cfb.header.fatSectors).toBeLessThanOrEqual(109);
    expect(cfb.header.difatSectors).toBe(0);
    checkWithBothReaders(bytes, sheets, "20,000 x 16");
  });

  it("writes a file over 7 MB whose FAT needs DIFAT sectors", () => {
    const rowCount = 25_000;
    const rows: number[][] = [];
    let sum = 0;
    for (let r = 0; r < rowCount; r++) {
      const row: number[] = [];
      for (let c = 0; c < 16; c++) {
        row.push(r * 16 + c + 0.5);
        sum += r * 16 + c + 0.5;
      }
      rows.push(row);
    }
    const sheets: XlsSheetInput[] = [{ name: "Numbers", rows }];
    const bytes = writeXls(sheets);
    expect(bytes.length).toBeGreaterThan(7 * 1024 * 1024);
    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.fatSectors).toBeGreaterThan(109);
    expect(cfb.header.difatSectors).toBeGreaterThanOrEqual(1);

    const ours = readXls(bytes, { fileName: "difat.xls" }).sheets[0];
    let oursSum = 0;
    for (const cell of ours?.cells() ?? []) oursSum += Number(cell.value);
    expect([ours?.cellCount, oursSum]).toEqual([rowCount * 16, sum]);

    const wb = readWithSheetJs(bytes);
    const ws = wb.Sheets.Numbers;
    expect(ws?.["!ref"]).toBe(`A1:P${rowCount}`);
    let sheetJsSum = 0;
    let count = 0;
    for (const [key, cell] of Object.entries(ws ?? {})) {
      if (key.startsWith("!")) continue;
      sheetJsSum += Number((cell as XLSX.CellObject).v);
      count++;
    }
    expect([count, sheetJsSum]).toEqual([rowCount * 16, sum]);

    const samples: [number, number, number][] = [
      [0, 0, 0],
      [0, rowCount - 1, 15],
      [0, 12_345, 7],
    ];
    const book = readWithXlrd(bytes, "DIFAT file", samples);
    if (book) {
      const sh = book.sheets[0];
      expect([sh?.nrows, sh?.ncols, sh?.counts[String(XL_NUMBER)], sh?.numberSum]).toEqual([
        rowCount,
        16,
        rowCount * 16,
        sum,
      ]);
      expect(sh?.cells.map((c) => c[3])).toEqual(samples.map(([, r, c]) => r * 16 + c + 0.5));
    }
  });

  it("writes the largest sheet the format holds: 65,535 rows x 16 text columns", () => {
    const rows: string[][] = [];
    for (let r = 0; r < 65_535; r++) {
      const row: string[] = [];
      for (let c = 0; c < 16; c++) row.push(`r${r}c${c}`);
      rows.push(row);
    }
    const bytes = writeXls([{ name: "Perf", rows }]);

    // Our reader reads it back whole; SheetJS and xlrd take 5-20 s on 28 MB, so they check the 7.7 MB file.
    const sheet = readXls(bytes, { fileName: "big.xls" }).sheets[0];
    expect(sheet?.cellCount).toBe(65_535 * 16);
    let mismatches = 0;
    for (const row of sheet?.rows() ?? []) {
      for (let c = 0; c < 16; c++) if (row.text(c) !== `r${row.row}c${c}`) mismatches++;
    }
    expect(mismatches).toBe(0);

    const cfb = readCfbStrictly(bytes);
    expect(cfb.header.difatSectors).toBeGreaterThanOrEqual(1);
    const stream = cfb.streams.get("Workbook") ?? Buffer.alloc(0);
    const records = readRecords(stream);
    const labels = records.filter((r) => r.type === 0x00fd);
    expect(labels.length).toBe(65_535 * 16);
    const last = labels[labels.length - 1];
    // LabelSst: row, column, XF, then the SST index (strings are numbered in first-use order).
    expect([last?.data.readUInt16LE(0), last?.data.readUInt16LE(2), last?.data.readUInt32LE(6)]).toEqual([
      65_534,
      15,
      65_535 * 16 - 1,
    ]);
    const sst = records.find((r) => r.type === 0x00fc);
    expect([sst?.data.readUInt32LE(0), sst?.data.readUInt32LE(4)]).toEqual([65_535 * 16, 65_535 * 16]);
  });

  it("rejects what Excel cannot hold", () => {
    const attempt = (sheets: XlsSheetInput[]) => () => writeXls(sheets);
    expect(attempt([])).toThrow(Error);
    expect(attempt([{ name: "A", cells: { A65537: 1 } }])).toThrow(/outside/);
    expect(attempt([{ name: "A", cells: { IW1: 1 } }])).toThrow(/outside/);
    expect(attempt([{ name: "A", cells: { "1A": 1 } }])).toThrow(/A1 reference/);
    expect(attempt([{ name: "A", origin: "IV1", rows: [[1, 2]] }])).toThrow(/outside/);
    expect(attempt([{ name: "A", origin: "A65536", rows: [[1], [2]] }])).toThrow(/outside/);
    expect(attempt([{ name: "x".repeat(32) }])).toThrow(/1\.\.31/);
    expect(attempt([{ name: "" }])).toThrow(/1\.\.31/);
    expect(attempt([{ name: "a/b" }])).toThrow(/forbids/);
    expect(attempt([{ name: "Same" }, { name: "SAME" }])).toThrow(/duplicate/);
    expect(attempt([{ name: "A", rows: [["x".repeat(32_768)]] }])).toThrow(/32767/);
    expect(attempt([{ name: "A", rows: [[Number.NaN]] }])).toThrow(/cannot be stored/);
    expect(attempt([{ name: "A", rows: [[new Date(Number.NaN)]] }])).toThrow(/date/);
    expect(attempt([{ name: "A", rows: [[new Date(Date.UTC(1899, 0, 1))]] }])).toThrow(/date/);
    expect(attempt([{ name: "A", hidden: true }])).toThrow(/visible/);
    expect(attempt([{ name: "A", rows: [[1]], cells: { A1: 2 } }])).toThrow(/both/);
    expect(attempt([{ name: "A", cells: { a1: 1, A1: 2 } }])).toThrow(/twice/);
    expect(() =>
      writeXls([{ name: "A", rows: [[new Date(Date.UTC(1903, 0, 1))]] }], { dateMode: 1904 }),
    ).toThrow(/date/);
    // The longest legal text and the last cell are fine.
    expect(() =>
      writeXls([{ name: "A", rows: [["x".repeat(32_767)]], cells: { IV65536: 1 } }]),
    ).not.toThrow();
  });
});
