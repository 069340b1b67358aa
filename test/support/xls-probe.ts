import { Worker } from "node:worker_threads";
import type { CellKind } from "../../src/sheet/cell.js";

/**
 * Runs the .xls reader on untrusted bytes in a worker thread with a time and memory budget, so a test can
 * tell a hang or a runaway allocation apart from a clean refusal and report which input caused it.
 */

export type WindowCell = [
  row: number,
  col: number,
  kind: CellKind,
  value: number | boolean | string,
  text: string,
];

export interface ProbeRequest {
  id: number;
  name: string;
  bytes: Uint8Array;
  window?: { rows: number; cols: number };
}

export type ProbeResult =
  | {
      status: "read";
      format: string;
      dateMode: number;
      sheets: { name: string; visibility: string; cells: number }[];
      window: WindowCell[] | undefined;
      /** Bytes of typed arrays the workbook holds on to after a full read (beyond the input itself). */
      retainedExternal: number;
    }
  | { status: "refused"; code: string; message: string; details: Record<string, unknown> }
  | { status: "crash"; error: string }
  | { status: "hang"; ms: number };

export interface ProbeBudget {
  timeoutMs: number;
  maxHeapMb: number;
}

export class XlsProbe {
  private worker: Worker | undefined;
  private fresh = false;
  private nextId = 1;

  constructor(private readonly budget: ProbeBudget) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    this.fresh = true;
    this.worker = new Worker(new URL("./ts-worker-boot.mjs", import.meta.url), {
      workerData: { entry: new URL("./xls-probe-worker.ts", import.meta.url).href },
      resourceLimits: { maxOldGenerationSizeMb: this.budget.maxHeapMb },
    });
    return this.worker;
  }

  async read(name: string, bytes: Uint8Array, window?: { rows: number; cols: number }): Promise<ProbeResult> {
    const worker = this.start();
    // A new worker first compiles the TypeScript sources; that start-up is not the reader's time.
    const timeoutMs = this.budget.timeoutMs + (this.fresh ? 20_000 : 0);
    this.fresh = false;
    const id = this.nextId++;
    const copy = new Uint8Array(bytes);
    return new Promise<ProbeResult>((resolve) => {
      const settle = (result: ProbeResult, restart: boolean): void => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
        if (restart) {
          void worker.terminate();
          this.worker = undefined;
        }
        resolve(result);
      };
      const onMessage = (message: { id: number; result: ProbeResult }): void => {
        if (message.id === id) settle(message.result, false);
      };
      const onError = (error: Error): void => {
        settle({ status: "crash", error: `worker died: ${error.message}` }, true);
      };
      const onExit = (code: number): void => {
        settle({ status: "crash", error: `worker exited with ${code}` }, true);
      };
      const timer = setTimeout(() => {
        settle({ status: "hang", ms: this.budget.timeoutMs }, true);
      }, timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      const request: ProbeRequest = { id, name, bytes: copy, ...(window ? { window } : {}) };
      worker.postMessage(request, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}
