// One measured read, in a process of its own so its peak memory is its own: reads a workbook to a full
// grid of cell texts with our reader (the compiled dist/, as shipped) or SheetJS, and prints one JSON line.
// Plain JavaScript so that no TypeScript loader thread sits in the measured process.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as XLSX from "@e965/xlsx";
import { readXls } from "../dist/sheet/xls/read-xls.js";

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function readOurs(file) {
  const started = performance.now();
  // As the product does: the file's buffer is handed over, so the reader may assemble the stream in it.
  const sheet = readXls(readFileSync(file), { fileName: file, reuseInput: true }).sheets[0];
  const texts = [];
  for (const row of sheet.rows()) texts[row.row] = row.texts();
  const readMs = performance.now() - started;
  const peak = peakRssMb();
  // Raw values, for the cross-check only (after the measurement).
  const values = [];
  for (const cell of sheet.cells()) (values[cell.row] ??= [])[cell.col] = String(cell.value);
  return { texts, values, readMs, peakRssMb: peak };
}

function readSheetJs(file) {
  const started = performance.now();
  const workbook = XLSX.read(readFileSync(file), { type: "buffer", dense: true });
  const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ""];
  const data = sheet?.["!data"] ?? [];
  const texts = data.map((row) =>
    (row ?? []).map((cell) => cell?.w ?? (cell?.v === undefined ? undefined : String(cell.v))),
  );
  const readMs = performance.now() - started;
  const peak = peakRssMb();
  const values = data.map((row) =>
    (row ?? []).map((cell) => (cell?.v === undefined ? undefined : String(cell.v))),
  );
  return { texts, values, readMs, peakRssMb: peak };
}

/** A digest of every cell's raw value by position, to check that both readers saw the same workbook. */
function digestOf(grid) {
  const hash = createHash("sha256");
  grid.forEach((row, r) => {
    (row ?? []).forEach((value, c) => {
      if (value !== undefined) hash.update(`${r},${c}=${value}\n`);
    });
  });
  return hash.digest("hex");
}

const [reader, file] = process.argv.slice(2);
if ((reader !== "ours" && reader !== "sheetjs") || !file) {
  console.error("usage: xls-read-child.mjs ours|sheetjs FILE");
  process.exit(2);
}
const result = reader === "ours" ? readOurs(file) : readSheetJs(file);
const rows = result.texts.filter((row) => row && row.length > 0).length;
console.log(
  JSON.stringify({
    reader,
    readMs: result.readMs,
    rows,
    digest: digestOf(result.values),
    peakRssMb: result.peakRssMb,
  }),
);
