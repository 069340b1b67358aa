import { Worker } from "node:worker_threads";
import type { SheetAnalysis } from "../import/analyze-sheet.js";
import { issueNowhere, type ImportIssue } from "../import/import-issue.js";
import type { DelegateSheetAnalysis } from "../import/delegates/read-delegate-sheet.js";
import type { AnalysisOfKind, ImportProgress, SheetAnalyzer } from "../services/imports/import-request.js";
import type { ImportKind } from "../services/imports/import-states.js";
import { DEFAULT_MAX_XLS_BYTES } from "../sheet/xls/read-xls.js";

/**
 * Parses an uploaded spreadsheet in a worker thread with a time and a heap budget, so a hostile file can
 * neither stall the server's event loop nor grow its heap: over budget, the thread is terminated and the
 * upload gets `file_too_complex`. The reader itself is bounded by construction; this is the backstop.
 */

export interface ParseBudget {
  /** Wall time from handing over the bytes to the analysis coming back. */
  readonly timeoutMs: number;
  /** The thread's old-generation heap (resourceLimits.maxOldGenerationSizeMb). */
  readonly maxHeapMb: number;
}

/**
 * The largest legal sheet (65,535 rows with passwords) reads in ~2 s and fits a 256 MB heap on two shared
 * cores (128 MB does not): about fifteen times that time and twice that heap.
 */
export const DEFAULT_PARSE_BUDGET: ParseBudget = { timeoutMs: 30_000, maxHeapMb: 512 };

/** The script a thread runs, and the workerData it needs (a loader that runs TypeScript needs the entry). */
export interface WorkerEntry {
  readonly url: URL;
  readonly workerData?: unknown;
}

/**
 * The compiled entry beside this module (dist/jobs/ in production). Run from the TypeScript sources with
 * tsx, the thread inherits tsx's --import and loads the .ts file; vitest passes its own boot instead.
 */
export const DEFAULT_WORKER_ENTRY: WorkerEntry = {
  url: new URL(
    import.meta.url.endsWith(".ts") ? "./sheet-worker-entry.ts" : "./sheet-worker-entry.js",
    import.meta.url,
  ),
};

export interface SheetWorkerRequest {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly maxBytes: number;
  /** Which sheet format to read: a user sheet (`email`) or a delegate sheet (`primary`). */
  readonly kind: ImportKind;
}

type AnyAnalysis = SheetAnalysis | DelegateSheetAnalysis;

export type SheetWorkerReply =
  | { readonly type: "ready" }
  | { readonly type: "progress"; readonly done: number; readonly total: number }
  | { readonly type: "done"; readonly result: AnyAnalysis | { readonly fileError: ImportIssue } };

export interface WorkerAnalyzerOptions {
  readonly budget?: ParseBudget | undefined;
  /** Files above this size are refused by the reader (file_too_large). */
  readonly maxFileBytes?: number | undefined;
  readonly entry?: WorkerEntry | undefined;
  /** Threads parsing at once; more uploads wait their turn (each thread may use its whole heap budget). */
  readonly maxConcurrent?: number | undefined;
  /** How long a new thread may take to load before it counts as broken (not the file's fault). */
  readonly startTimeoutMs?: number | undefined;
}

/** A tiny counting semaphore: at most `limit` holders, the others wait in order. */
function createSlots(limit: number): () => Promise<() => void> {
  let free = limit;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return () =>
    new Promise((resolve) => {
      if (free > 0) {
        free--;
        resolve(release);
      } else {
        waiting.push(() => {
          resolve(release);
        });
      }
    });
}

function tooComplex(fileName: string, why: string): { fileError: ImportIssue } {
  return {
    fileError: issueNowhere(
      "file_too_complex",
      `${fileName} ${why}, over what the server allows for one upload: split it into smaller files, or ` +
        "save it again from Excel and retry.",
    ),
  };
}

export function createWorkerAnalyzer(options: WorkerAnalyzerOptions = {}): SheetAnalyzer {
  const budget = options.budget ?? DEFAULT_PARSE_BUDGET;
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_XLS_BYTES;
  const entry = options.entry ?? DEFAULT_WORKER_ENTRY;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const acquire = createSlots(options.maxConcurrent ?? 2);

  const analyzeOnce = (
    bytes: Uint8Array,
    fileName: string,
    onProgress: ((progress: ImportProgress) => void) | undefined,
    kind: ImportKind,
  ): Promise<AnyAnalysis | { fileError: ImportIssue }> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(entry.url, {
        workerData: entry.workerData,
        resourceLimits: { maxOldGenerationSizeMb: budget.maxHeapMb },
        // The thread never needs the parent's stdin or environment.
        stdin: false,
        env: {},
      });
      let settled = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        outcome();
      };
      let timer = setTimeout(() => {
        finish(() => {
          reject(new Error(`the sheet worker did not start within ${startTimeoutMs} ms`));
        });
      }, startTimeoutMs);
      worker.on("message", (reply: SheetWorkerReply) => {
        switch (reply.type) {
          case "ready": {
            clearTimeout(timer);
            timer = setTimeout(() => {
              finish(() => {
                resolve(tooComplex(fileName, `took more than ${budget.timeoutMs / 1000} s to read`));
              });
            }, budget.timeoutMs);
            // A copy the thread owns: transferring the caller's buffer would detach the caller's bytes.
            const copy = new Uint8Array(bytes);
            const request: SheetWorkerRequest = { bytes: copy, fileName, maxBytes, kind };
            worker.postMessage(request, [copy.buffer]);
            break;
          }
          case "progress":
            onProgress?.({ stage: "reading", done: reply.done, total: reply.total });
            break;
          case "done":
            // The analysis crossed by structured clone: plain objects, arrays and Maps, as analyzeSheets
            // builds them, arrive as they left.
            finish(() => {
              resolve(reply.result);
            });
            break;
        }
      });
      worker.on("error", (error: Error & { code?: string }) => {
        finish(() => {
          if (error.code === "ERR_WORKER_OUT_OF_MEMORY") {
            resolve(tooComplex(fileName, `needed more than ${budget.maxHeapMb} MB of memory to read`));
          } else reject(error);
        });
      });
      worker.on("exit", (code) => {
        finish(() => {
          reject(new Error(`the sheet worker exited with ${code} before it answered`));
        });
      });
    });

  return async <K extends ImportKind = "users">(
    bytes: Uint8Array,
    fileName: string,
    onProgress: ((progress: ImportProgress) => void) | undefined,
    kind?: K,
  ) => {
    const release = await acquire();
    try {
      // The thread reads the kind it was asked for (sheet-worker-entry.ts), so its answer is that kind's.
      return (await analyzeOnce(bytes, fileName, onProgress, kind ?? "users")) as
        AnalysisOfKind[K] | { fileError: ImportIssue };
    } finally {
      release();
    }
  };
}
