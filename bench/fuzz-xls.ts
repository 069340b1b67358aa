/**
 * Long fuzzing runs: `npm run fuzz -- --minutes N [--seed S]`. Mutates the real corpus and reads each mutant
 * in a worker with a time and memory budget; failing inputs are saved under .fuzz-failures/ to replay.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CORPUS_DIR, haveSharedDir } from "../test/support/shared-material.js";
import { loadFuzzSeeds, runFuzz } from "../test/support/xls-fuzz.js";

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "5" }, seed: { type: "string" } },
});
const minutes = Number(values.minutes);
if (!Number.isFinite(minutes) || minutes <= 0) {
  console.error("usage: npm run fuzz -- --minutes N [--seed S]");
  process.exit(2);
}
if (!haveSharedDir(CORPUS_DIR, "fuzzing")) process.exit(2);

const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
const failureDir = join(process.cwd(), ".fuzz-failures");
console.log(`fuzzing for ${minutes} min with seed ${seed}`);
const started = Date.now();
const report = await runFuzz({
  files: loadFuzzSeeds(CORPUS_DIR),
  seed,
  maxIterations: Number.MAX_SAFE_INTEGER,
  deadline: started + minutes * 60_000,
  timeoutMs: 5_000,
  maxHeapMb: 256,
  onFailure: (failure) => {
    mkdirSync(failureDir, { recursive: true });
    const path = join(failureDir, `seed${failure.seed}-${failure.iteration}.xls`);
    writeFileSync(path, failure.bytes);
    console.log(`FAIL ${failure.file} (${failure.mutation}): ${failure.problem}\n  saved as ${path}`);
  },
});
const seconds = (Date.now() - started) / 1000;
console.log(
  `${report.iterations} mutants in ${seconds.toFixed(0)} s (${(report.iterations / seconds).toFixed(0)}/s): ` +
    `${report.read} read, ${report.refused} refused, ${report.failures.length} failures`,
);
process.exitCode = report.failures.length > 0 ? 1 : 0;
