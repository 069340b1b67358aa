/**
 * One measured read, in a process of its own so its peak memory is its own: reads a workbook to a full
 * grid of cell texts with our reader or SheetJS and prints one JSON line.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as XLSX from "@e965/xlsx";
import { readXls } from "../src/sheet/xls/read-xls.js";

type Grid = (string | undefined)[][];
interface Read {
  texts: Grid;
  values: Grid;
  readMs: number;
  peakRssMb: number;
}

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

function readOurs(file: string): Read {
  const started = performance.now();
  const sheet = readXls(readFileSync(file), { fileName: file }).sheets[0];
  if (!sheet) throw new Error("no sheet");
  const texts: Grid = [];
  for (const row of sheet.rows()) {
    const line: (string | undefined)[] = [];
    for (const col of row.cols) line[col] = row.text(col);
    texts[row.row] = line;
  }
  const readMs = performance.now() - started;
  const peak = peakRssMb();
  // Raw values, for the cross-check only (after the measurement).
  const values: Grid = [];
  for (const cell of sheet.cells()) (values[cell.row] ??= [])[cell.col] = String(cell.value);
  return { texts, values, readMs, peakRssMb: peak };
}

interface SheetJsCell {
  v?: string | number | boolean | Date;
  w?: string;
}

function readSheetJs(file: string): Read {
  const started = performance.now();
  const workbook = XLSX.read(readFileSync(file), { type: "buffer", dense: true });
  const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ""];
  const data = (sheet?.["!data"] ?? []) as (SheetJsCell | undefined)[][];
  const texts: Grid = data.map((row) =>
    row.map((cell) => cell?.w ?? (cell?.v === undefined ? undefined : String(cell.v))),
  );
  const readMs = performance.now() - started;
  const peak = peakRssMb();
  const values: Grid = data.map((row) =>
    row.map((cell) => (cell?.v === undefined ? undefined : String(cell.v))),
  );
  return { texts, values, readMs, peakRssMb: peak };
}

/** A digest of every cell's raw value by position, to check that both readers saw the same workbook. */
function digestOf(grid: Grid): string {
  const hash = createHash("sha256");
  grid.forEach((row, r) => {
    row.forEach((value, c) => {
      if (value !== undefined) hash.update(`${r},${c}=${value}\n`);
    });
  });
  return hash.digest("hex");
}

const [reader, file] = process.argv.slice(2);
if ((reader !== "ours" && reader !== "sheetjs") || !file) {
  console.error("usage: xls-read-child.ts ours|sheetjs FILE");
  process.exit(2);
}
const result = reader === "ours" ? readOurs(file) : readSheetJs(file);
const rows = result.texts.filter((row) => row.length > 0).length;
console.log(
  JSON.stringify({
    reader,
    readMs: result.readMs,
    rows,
    digest: digestOf(result.values),
    peakRssMb: result.peakRssMb,
  }),
);
