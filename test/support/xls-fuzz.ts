import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { seededRandom } from "./seeded-random.js";
import { mutate } from "./xls-mutate.js";
import { XlsProbe, type ProbeResult } from "./xls-probe.js";

/** The fuzzing loop shared by the bounded test and `npm run fuzz`. */

export interface FuzzSeedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface FuzzFailure {
  readonly file: string;
  readonly mutation: string;
  readonly seed: number;
  readonly iteration: number;
  readonly problem: string;
  readonly bytes: Uint8Array;
}

export interface FuzzOptions {
  readonly files: readonly FuzzSeedFile[];
  readonly seed: number;
  /** Stop after this many mutants, or at this time (ms since epoch), whichever comes first. */
  readonly maxIterations: number;
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly maxHeapMb: number;
  readonly onFailure?: (failure: FuzzFailure) => void;
}

export interface FuzzReport {
  readonly iterations: number;
  readonly read: number;
  readonly refused: number;
  readonly failures: FuzzFailure[];
}

/** Real workbooks to mutate: the corpus's BIFF files (by extension; non-BIFF inputs teach the fuzzer little). */
export function loadFuzzSeeds(corpusDir: string, maxBytes = 2 * 1024 * 1024): FuzzSeedFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
  return walk(join(corpusDir, "xls"))
    .filter((path) => /\.xls$/i.test(path) && statSync(path).size <= maxBytes)
    .sort()
    .map((path) => ({ name: relative(corpusDir, path), bytes: readFileSync(path) }));
}

/** A small multiple of the input's size, plus fixed overhead for the tables every workbook has. */
export function allocationBudget(inputBytes: number): number {
  return 16 * inputBytes + 4 * 1024 * 1024;
}

function judge(result: ProbeResult, inputBytes: number): string | undefined {
  switch (result.status) {
    case "read":
      return result.retainedExternal > allocationBudget(inputBytes)
        ? `holds ${result.retainedExternal} bytes of buffers for a ${inputBytes}-byte input`
        : undefined;
    case "refused":
      return /^file_[a-z_]+$/.test(result.code)
        ? undefined
        : `refused with an unexpected code ${result.code}`;
    case "crash":
      return `crashed: ${result.error}`;
    case "hang":
      return `did not finish within ${result.ms} ms`;
  }
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const probe = new XlsProbe({ timeoutMs: options.timeoutMs, maxHeapMb: options.maxHeapMb });
  const rnd = seededRandom(options.seed);
  const donors = options.files.map((f) => f.bytes);
  const failures: FuzzFailure[] = [];
  let read = 0;
  let refused = 0;
  let iteration = 0;
  try {
    while (iteration < options.maxIterations && Date.now() < options.deadline) {
      const file = options.files[iteration % options.files.length];
      if (!file) break;
      const mutant = mutate(file.bytes, rnd, donors);
      const result = await probe.read(`fuzz-${iteration}.xls`, mutant.bytes);
      if (result.status === "read") read++;
      if (result.status === "refused") refused++;
      const problem = judge(result, mutant.bytes.length);
      if (problem) {
        const failure = {
          file: file.name,
          mutation: mutant.description,
          seed: options.seed,
          iteration,
          problem,
          bytes: mutant.bytes,
        };
        failures.push(failure);
        options.onFailure?.(failure);
      }
      iteration++;
    }
  } finally {
    await probe.close();
  }
  return { iterations: iteration, read, refused, failures };
}
