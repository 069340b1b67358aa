import { describe, expect, it } from "vitest";
import { analyzeSheets } from "../../src/import/analyze-sheet.js";
import { createWorkerAnalyzer } from "../../src/jobs/sheet-worker.js";
import type { ImportProgress } from "../../src/services/imports/import-request.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { usersXls } from "../support/import-files.js";
import { SHEET_WORKER_FROM_SOURCE } from "../support/sheet-worker.js";

function manyRows(count: number): Uint8Array {
  const rows: string[][] = [["email", "name", "Department"]];
  for (let i = 0; i < count; i++) rows.push([`user${i}@example.com`, `User ${i}`, `Dept ${i % 7}`]);
  return usersXls(rows);
}

describe("the sheet worker", () => {
  it("returns the same analysis as the in-process reader, with reading progress", async () => {
    const bytes = manyRows(9000);
    const progress: ImportProgress[] = [];
    const analyze = createWorkerAnalyzer({ entry: SHEET_WORKER_FROM_SOURCE });
    const inWorker = await analyze(bytes, "users.xls", (p) => progress.push(p));
    const inProcess = analyzeSheets(readXls(bytes, { fileName: "users.xls" }).sheets);
    expect(inWorker).toEqual(inProcess);
    expect(progress.at(-1)).toMatchObject({ stage: "reading", done: 9000 });
    // The caller's bytes are untouched: the thread got a copy.
    expect(readXls(bytes, { fileName: "again.xls" }).sheets[0]?.rowCount).toBe(9001);
  });

  it("turns the reader's refusal into the file's issue", async () => {
    const analyze = createWorkerAnalyzer({ entry: SHEET_WORKER_FROM_SOURCE, maxFileBytes: 100 });
    const notXls = await analyze(new TextEncoder().encode("email,name\n"), "users.xls", undefined);
    expect(notXls).toMatchObject({ fileError: { code: "file_not_xls", cell: null } });
    const tooBig = await analyze(manyRows(10), "users.xls", undefined);
    expect(tooBig).toMatchObject({ fileError: { code: "file_too_large" } });
  });

  it("stops a thread over its time or heap budget with file_too_complex, naming the file", async () => {
    const bytes = manyRows(30_000);
    const slow = createWorkerAnalyzer({
      entry: SHEET_WORKER_FROM_SOURCE,
      budget: { timeoutMs: 20, maxHeapMb: 512 },
    });
    const late = await slow(bytes, "slow.xls", undefined);
    expect(late).toMatchObject({ fileError: { code: "file_too_complex" } });
    expect("fileError" in late && late.fileError.message).toMatch(/slow\.xls/);
    const small = createWorkerAnalyzer({
      entry: SHEET_WORKER_FROM_SOURCE,
      budget: { timeoutMs: 60_000, maxHeapMb: 8 },
    });
    expect(await small(bytes, "big.xls", undefined)).toMatchObject({
      fileError: { code: "file_too_complex" },
    });
  }, 60_000);
});
