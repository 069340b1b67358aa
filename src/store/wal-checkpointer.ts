import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies SQLite's write-ahead log into the database file on a thread of its own. By default the connection
 * that commits does it (wal_autocheckpoint), inside the commit: after an import of 65,534 users that is
 * ~1.2 s of the save the administrator waits for, with the server's event loop blocked. A long-running
 * server turns that off on its writer and lets this worker, with a connection of its own, run a PASSIVE
 * checkpoint a few times a second: it never waits for a lock and never blocks the writer or the readers,
 * and when there is nothing to copy it only reads the log's index. At close the last connection to go
 * checkpoints what is left (SQLite does that itself).
 */
export interface WalCheckpointer {
  /** Stops the worker (its checkpoint in progress finishes first). */
  close(): Promise<void>;
}

/** How often the worker looks for committed pages to copy. */
const DEFAULT_INTERVAL_MS = 250;

// The worker's code, evaluated as a CommonJS script (execArgv is emptied so a loader or an ESM flag of the
// parent is not inherited); the driver's path is resolved here, where the package is known to be.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
db.pragma("busy_timeout = 0");
const checkpoint = db.prepare("pragma wal_checkpoint(PASSIVE)");
let stopping = false;
const timer = setInterval(() => {
  if (stopping) return;
  try { checkpoint.all(); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.intervalMs);
parentPort.on("message", () => {
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ closed: true });
});
`;

export function startWalCheckpointer(
  path: string,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { driver, path, intervalMs: options.intervalMs ?? DEFAULT_INTERVAL_MS },
  });
  // A busy log or a missing file is reported, never fatal: the last close still checkpoints.
  const report = options.onError ?? (() => undefined);
  let closed: Promise<void> | undefined;
  const ended = new Promise<void>((resolve) => {
    worker.on("message", (message: { error?: string; closed?: boolean }) => {
      if (message.error !== undefined) report(new Error(`WAL checkpoint: ${message.error}`));
      if (message.closed) resolve();
    });
    worker.on("error", (error) => {
      report(error);
      resolve();
    });
    worker.on("exit", () => {
      resolve();
    });
  });
  // An idle server's checkpointer must not keep the process alive.
  worker.unref();
  return {
    close() {
      closed ??= (async () => {
        // Held alive until it has closed its connection: nothing else may keep the process running.
        worker.ref();
        worker.postMessage("close");
        await ended;
        await worker.terminate();
      })();
      return closed;
    },
  };
}
