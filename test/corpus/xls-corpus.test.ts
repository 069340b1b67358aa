import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CORPUS_DIR, haveSharedDir } from "../support/shared-material.js";
import { XlsProbe, type ProbeResult, type WindowCell } from "../support/xls-probe.js";

/**
 * Every real workbook in ../shared/corpus either reads to what xlrd 1.2.0 saw (the first worksheet's
 * window, cell by cell) or is refused with a typed file_* error, within a time and memory budget.
 */

interface Expected {
  sheet_names: string[];
  sheet_visibility: number[];
  sheet: { name: string; visibility: number };
  datemode: number;
  window: { rows: number; cols: number };
  cells: string[][];
  types: string[][];
  dates_iso: Record<string, string>;
}

/**
 * Files where we knowingly part from xlrd, with the reason. A file listed here must show the named
 * outcome; anything else is compared with xlrd.
 */
const DISAGREE_WITH_XLRD: Readonly<Record<string, { refuse: string; why: string }>> = {
  "xls/poi/testEXCEL_3.xls": {
    refuse: "file_biff_too_old",
    why: "BIFF3 (Excel 3.0): the product takes Excel 97-2003 and 5.0/95 workbooks only",
  },
  "xls/poi/testEXCEL_4.xls": { refuse: "file_biff_too_old", why: "BIFF4 (Excel 4.0)" },
  "xls/test_files/CRLFR9_4.XLS": { refuse: "file_biff_too_old", why: "BIFF4 (Excel 4.0)" },
  "xls/test_files/CRLFX5_2.XLS": { refuse: "file_biff_too_old", why: "BIFF2 (Excel 2.1)" },
  "xls/test_files/CRLFX5_3.XLS": { refuse: "file_biff_too_old", why: "BIFF3 (Excel 3.0)" },
  "xls/test_files/CRLFX5_4.XLS": { refuse: "file_biff_too_old", why: "BIFF4 (Excel 4.0)" },
  "xls/xlrd/biff4_no_format_no_window2.xls": { refuse: "file_biff_too_old", why: "BIFF4 (Excel 4.0)" },
};

/**
 * What MANIFEST.tsv's `format` column (found by reading the bytes) says the reader must answer. BIFF5 and
 * BIFF8 files are compared with xlrd instead.
 */
const REFUSAL_BY_FORMAT: Readonly<Record<string, { code: string; format?: string }>> = {
  "biff2-4": { code: "file_biff_too_old" },
  corrupt: { code: "file_corrupt" },
  empty: { code: "file_empty" },
  encrypted: { code: "file_encrypted" },
  "encrypted-ooxml": { code: "file_encrypted" },
  gzip: { code: "file_not_xls", format: "gzip" },
  html: { code: "file_not_xls", format: "html" },
  ods: { code: "file_not_xls", format: "ods" },
  sylk: { code: "file_not_xls", format: "sylk" },
  text: { code: "file_not_xls", format: "text" },
  xlsx: { code: "file_not_xls", format: "xlsx" },
  xml2003: { code: "file_not_xls", format: "xml-spreadsheet-2003" },
};

function loadManifestFormats(): Map<string, string> {
  const lines = readFileSync(join(CORPUS_DIR, "MANIFEST.tsv"), "utf8").split("\n").slice(1);
  return new Map(
    lines
      .filter((l) => l.length > 0)
      .map((l) => l.split("\t"))
      .map((c) => [c[0] ?? "", c[4] ?? ""]),
  );
}

const TIME_BUDGET_MS = 5_000;
const HEAP_BUDGET_MB = 512;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out.sort();
}

const corpusPresent = haveSharedDir(CORPUS_DIR, "the .xls corpus conformance test");
const inputs = corpusPresent
  ? [...listFiles(join(CORPUS_DIR, "xls")), ...listFiles(join(CORPUS_DIR, "other"))].map((path) =>
      relative(CORPUS_DIR, path),
    )
  : [];
const manifestFormats = corpusPresent ? loadManifestFormats() : new Map<string, string>();
const probe = new XlsProbe({ timeoutMs: TIME_BUDGET_MS, maxHeapMb: HEAP_BUDGET_MB });
afterAll(() => probe.close());

function loadExpected(file: string): Expected | undefined {
  const path = join(CORPUS_DIR, "expected", `${file}.json`);
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Expected) : undefined;
}

const VISIBILITY = ["visible", "hidden", "very-hidden"];

/** Our ISO text for a date, from xlrd's isoformat: date alone at midnight, time alone below serial 1. */
function expectedDateText(serial: number, iso: string): string {
  const [date = "", time = ""] = iso.split("T");
  const trimmedTime = time.replace(/\.(\d{3})\d*$/, ".$1").replace(/\.000$/, "");
  if (serial < 1 && serial > 0) return trimmedTime;
  return trimmedTime === "00:00:00" ? date : `${date}T${trimmedTime}`;
}

function compareWindow(expected: Expected, window: WindowCell[]): string[] {
  const problems: string[] = [];
  const ours = new Map(window.map((c) => [`${c[0]},${c[1]}`, c]));
  for (let r = 0; r < expected.window.rows; r++) {
    for (let c = 0; c < expected.window.cols; c++) {
      const type = expected.types[r]?.[c] ?? "empty";
      const want = expected.cells[r]?.[c] ?? "";
      const got = ours.get(`${r},${c}`);
      const at = `r${r}c${c}`;
      if (type === "empty" || type === "blank") {
        if (got) problems.push(`${at}: expected no value, got ${got[2]} ${JSON.stringify(got[4])}`);
        continue;
      }
      if (!got) {
        problems.push(`${at}: expected ${type} ${JSON.stringify(want)}, got nothing`);
        continue;
      }
      const [, , kind, value, text] = got;
      switch (type) {
        case "text":
          if (kind !== "text" || text !== want)
            problems.push(
              `${at}: expected text ${JSON.stringify(want)}, got ${kind} ${JSON.stringify(text)}`,
            );
          break;
        case "number":
          if (kind !== "number" || value !== Number(want))
            problems.push(`${at}: expected number ${want}, got ${kind} ${String(value)}`);
          break;
        case "date": {
          // A negative serial has no date: Excel shows ##### and xlrd cannot convert it either. We give the
          // plain number rather than a date that does not exist (test_files/LONumbers.xls).
          if (Number(want) < 0) {
            if (kind !== "number" || value !== Number(want))
              problems.push(`${at}: expected number ${want} (negative serial), got ${kind} ${String(value)}`);
            break;
          }
          const iso = expected.dates_iso[`${r},${c}`];
          if (kind !== "date" || value !== Number(want))
            problems.push(`${at}: expected date ${want}, got ${kind} ${String(value)}`);
          else if (iso !== undefined && text !== expectedDateText(Number(want), iso))
            problems.push(`${at}: expected date text for ${iso}, got ${text}`);
          break;
        }
        case "bool":
          if (kind !== "bool" || text !== want)
            problems.push(`${at}: expected bool ${want}, got ${kind} ${text}`);
          break;
        case "error":
          if (kind !== "error" || text !== want)
            problems.push(`${at}: expected error ${want}, got ${kind} ${text}`);
          break;
        default:
          problems.push(`${at}: unknown expected type ${type}`);
      }
    }
  }
  for (const [key, cell] of ours) {
    const [r = 0, c = 0] = key.split(",").map(Number);
    if (r >= expected.window.rows || c >= expected.window.cols)
      problems.push(`r${r}c${c}: unexpected cell ${JSON.stringify(cell[4])}`);
  }
  return problems;
}

function describeOutcome(result: ProbeResult): string {
  switch (result.status) {
    case "read":
      return `read (${result.format}, ${result.sheets.length} sheets)`;
    case "refused":
      return `refused: ${result.code}`;
    case "crash":
      return `CRASH: ${result.error}`;
    case "hang":
      return `HANG: over ${result.ms} ms`;
  }
}

describe.skipIf(!corpusPresent)("the real-world .xls corpus", () => {
  it("holds the files its README describes, each listed in the manifest", () => {
    expect(inputs.length).toBeGreaterThan(150);
    expect(inputs.filter((file) => !manifestFormats.has(file))).toEqual([]);
  });

  for (const file of inputs) {
    it(file, async () => {
      const bytes = readFileSync(join(CORPUS_DIR, file));
      const expected = loadExpected(file);
      const window = expected ? { rows: expected.window.rows, cols: expected.window.cols } : undefined;
      const result = await probe.read(file.split("/").pop() ?? file, bytes, window);
      const outcome = describeOutcome(result);
      expect(["read", "refused"], `${file}: ${outcome}`).toContain(result.status);
      if (result.status === "refused") {
        expect(result.code, `${file}: ${result.message}`).toMatch(/^file_[a-z_]+$/);
        expect(result.message, "the message names the file").toContain(file.split("/").pop() ?? file);
      }
      const refusal = REFUSAL_BY_FORMAT[manifestFormats.get(file) ?? ""];
      if (refusal) {
        expect(
          result.status === "refused" ? result.code : outcome,
          `${file} is ${manifestFormats.get(file)}`,
        ).toBe(refusal.code);
        if (refusal.format && result.status === "refused") expect(result.details.format).toBe(refusal.format);
      }
      const disagreement = DISAGREE_WITH_XLRD[file];
      if (disagreement) {
        expect(result.status === "refused" ? result.code : outcome, disagreement.why).toBe(
          disagreement.refuse,
        );
        return;
      }
      if (!expected) return;
      expect(result.status, `${file}: xlrd read it, we ${outcome}`).toBe("read");
      if (result.status !== "read") return;
      expect(result.sheets.map((s) => s.name)).toEqual(expected.sheet_names);
      expect(result.sheets.map((s) => s.visibility)).toEqual(
        expected.sheet_visibility.map((v) => VISIBILITY[v]),
      );
      expect(result.dateMode).toBe(expected.datemode === 1 ? 1904 : 1900);
      expect(compareWindow(expected, result.window ?? [])).toEqual([]);
    });
  }
});
