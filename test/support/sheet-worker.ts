import type { WorkerEntry } from "../../src/jobs/sheet-worker.js";

/** The sheet worker from the TypeScript sources, booted through tsx as the tests' other workers are. */
export const SHEET_WORKER_FROM_SOURCE: WorkerEntry = {
  url: new URL("./ts-worker-boot.mjs", import.meta.url),
  workerData: { entry: new URL("../../src/jobs/sheet-worker-entry.ts", import.meta.url).href },
};
