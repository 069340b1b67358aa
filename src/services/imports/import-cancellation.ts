import type { ImportRun } from "./import-request.js";

/** Thrown at a check point once the import's signal is aborted (import-request.ts: `signal`). */
export class ImportCancelled extends Error {
  constructor() {
    super("The import was cancelled.");
  }
}

/** A check point: throws ImportCancelled once the import's signal is aborted. */
export function throwIfCancelled(run: ImportRun): void {
  if (run.request.signal?.aborted) throw new ImportCancelled();
}
