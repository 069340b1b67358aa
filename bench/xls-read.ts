/**
 * `npm run bench:xls`: our .xls reader against SheetJS (@e965/xlsx 0.20.3) on the large sheets in
 * ../shared/bench. Each run is a fresh process, so peak memory is per reader. Prints medians and ratios;
 * targets (issue 2): 20x faster than SheetJS, under 150 MB peak, and a whole-process `sheet dump --json`
 * 5x faster than SheetJS's read alone.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { BENCH_DIR, haveSharedDir } from "../test/support/shared-material.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    "sheetjs-runs": { type: "string", default: "3" },
    only: { type: "string" },
  },
});
const runs = Number(values.runs);
const sheetjsRuns = Number(values["sheetjs-runs"]);
if (!haveSharedDir(BENCH_DIR, "the .xls benchmark")) process.exit(2);

const cacheDir = join(process.cwd(), ".bench-cache");
mkdirSync(cacheDir, { recursive: true });

interface ChildResult {
  reader: string;
  readMs: number;
  rows: number;
  digest: string;
  peakRssMb: number;
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The V8 flags our executable runs with (its shebang line); both readers get them, to be fair. */
const NODE_FLAGS = (readFileSync("bin/mailroster.js", "utf8").split("\n")[0] ?? "")
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

function runChild(reader: "ours" | "sheetjs", file: string): ChildResult {
  const out = execFileSync(process.execPath, [...NODE_FLAGS, "bench/xls-read-child.mjs", reader, file], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as ChildResult;
}

function timeDump(file: string): { ms: number; peakRssMb: number } {
  const started = performance.now();
  const result = spawnSync(
    "/usr/bin/time",
    ["-f", "%M", "bin/mailroster.js", "sheet", "dump", file, "--json"],
    {
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`sheet dump failed: ${result.stderr}`);
  const kb = Number(result.stderr.trim().split("\n").pop());
  return { ms, peakRssMb: kb / 1024 };
}

const files = readdirSync(BENCH_DIR)
  .filter((name) => name.endsWith(".xls.gz") && (!values.only || name.includes(values.only)))
  .sort();
const fmt = (n: number): string => n.toFixed(0).padStart(6);
console.log(
  `node ${process.version} ${NODE_FLAGS.join(" ")}; ${runs} runs of ours, ${sheetjsRuns} of SheetJS per file; medians\n`,
);
for (const gz of files) {
  const file = join(cacheDir, gz.replace(/\.gz$/, ""));
  if (!existsSync(file)) writeFileSync(file, gunzipSync(readFileSync(join(BENCH_DIR, gz))));
  // Interleaved, so that whatever else the machine is doing weighs on both readers alike.
  const ours: ChildResult[] = [];
  const theirs: ChildResult[] = [];
  const dumps: { ms: number; peakRssMb: number }[] = [];
  for (let i = 0; i < Math.max(runs, sheetjsRuns); i++) {
    if (i < runs) ours.push(runChild("ours", file));
    if (i < sheetjsRuns) theirs.push(runChild("sheetjs", file));
    if (i < runs) dumps.push(timeDump(file));
  }
  const same = ours[0]?.digest === theirs[0]?.digest;
  const oursMs = median(ours.map((r) => r.readMs));
  const theirsMs = median(theirs.map((r) => r.readMs));
  const dumpMs = median(dumps.map((d) => d.ms));
  console.log(
    `${gz.replace(/\.gz$/, "")} (${ours[0]?.rows ?? 0} rows) — same values in both readers: ${same ? "yes" : "NO"}`,
  );
  console.log(
    `  ours     read to grid ${fmt(oursMs)} ms   peak ${fmt(median(ours.map((r) => r.peakRssMb)))} MB`,
  );
  console.log(
    `  SheetJS  read to grid ${fmt(theirsMs)} ms   peak ${fmt(median(theirs.map((r) => r.peakRssMb)))} MB`,
  );
  console.log(
    `  ours     sheet dump --json, whole process ${fmt(dumpMs)} ms   peak ${fmt(median(dumps.map((d) => d.peakRssMb)))} MB`,
  );
  console.log(
    `  ratio: read ${(theirsMs / oursMs).toFixed(1)}x faster; whole-process dump vs SheetJS read alone ${(theirsMs / dumpMs).toFixed(1)}x\n`,
  );
  if (!same) process.exitCode = 1;
}
