import { describe, expect, it } from "vitest";
import { CORPUS_DIR, haveSharedDir } from "../support/shared-material.js";
import { loadFuzzSeeds, runFuzz } from "../support/xls-fuzz.js";

/**
 * A bounded, seeded mutation run over the real corpus: whatever the bytes, the reader either reads them or
 * refuses them with a typed file_* error, in bounded time and memory. `npm run fuzz -- --minutes N` runs
 * the same loop for longer with fresh seeds.
 */

const corpusPresent = haveSharedDir(CORPUS_DIR, "the .xls mutation fuzz test");

describe.skipIf(!corpusPresent)("fuzzing the .xls reader with mutated real files", () => {
  it("never crashes, hangs or over-allocates on 2,000 seeded mutants", { timeout: 120_000 }, async () => {
    const report = await runFuzz({
      files: loadFuzzSeeds(CORPUS_DIR),
      seed: 20261125,
      maxIterations: 2000,
      deadline: Date.now() + 90_000,
      timeoutMs: 5_000,
      maxHeapMb: 256,
    });
    const failures = report.failures.map((f) => `${f.file} #${f.iteration} (${f.mutation}): ${f.problem}`);
    expect(failures).toEqual([]);
    expect(report.iterations).toBeGreaterThan(500);
    // Mutants must exercise both outcomes, or the mutations are too weak (or too destructive) to test much.
    expect(report.read).toBeGreaterThan(50);
    expect(report.refused).toBeGreaterThan(50);
  });
});
