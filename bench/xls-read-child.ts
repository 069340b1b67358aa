/**
 * One measured read, in a process of its own so its peak memory is its own: reads a workbook to a full
 * grid of cell texts with our reader or SheetJS and prints one JSON line.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as XLSX from "@e965/xlsx";
import { readXls } from "../src/sheet/xls/read-xls.js";

const [reader, file] = process.argv.slice(2);
if ((reader !== "ours" && reader !== "sheetjs") || !file) {
  console.error("usage: xls-read-child.ts ours|sheetjs FILE");
  process.exit(2);
}

/** A digest of every cell's raw value by position, to check that both readers saw the same workbook. */
function digestOf(grid: readonly (readonly (string | undefined)[])[]): string {
  const hash = createHash("sha256");
  grid.forEach((row, r) => {
    row.forEach((value, c) => {
      if (value !== undefined) hash.update(`${r},${c}=${value}\n`);
    });
  });
  return hash.digest("hex");
}

const bytes = readFileSync(file);
const started = performance.now();
let texts: string[][] = [];
let values: (string | undefined)[][] = [];
let readMs = 0;
if (reader === "ours") {
  const sheet = readXls(bytes, { fileName: file }).sheets[0];
  if (!sheet) throw new Error("no sheet");
  for (const row of sheet.rows()) {
    const line: string[] = [];
    for (const col of row.cols) line[col] = row.text(col);
    texts[row.row] = line;
  }
  readMs = performance.now() - started;
  values = [];
  for (const cell of sheet.cells()) (values[cell.row] ??= [])[cell.col] = String(cell.value);
} else {
  const workbook = XLSX.read(bytes, { type: "buffer", dense: true });
  const name = workbook.SheetNames[0] ?? "";
  const sheet = workbook.Sheets[name];
  const data = (sheet?.["!data"] ?? []) as ({ v?: unknown; w?: string } | undefined)[][];
  readMs = performance.now() - started;
  texts = data.map((row) => (row ?? []).map((cell) => cell?.w ?? String(cell?.v ?? "")));
  readMs = performance.now() - started;
  values = data.map((row) =>
    (row ?? []).map((cell) =>
      cell?.v === undefined ? undefined : String(cell.v as string | number | boolean),
    ),
  );
}
const rows = texts.filter((row) => row.length > 0).length;
console.log(
  JSON.stringify({
    reader,
    readMs,
    rows,
    digest: digestOf(values),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
