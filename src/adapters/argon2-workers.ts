import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Hashes or verifies many passwords on worker threads, one per core, each hashing its chunks back to back
 * with argon2's synchronous call. Keeping a hash per core in flight on libuv's pool instead (a round trip
 * through the main thread per hash) reached 63-77% of cores x one core's rate on two cores; these threads
 * reach 86-90%, as much as independent processes do on the same machine (bench/import.ts).
 */

export type Argon2Options = Readonly<Record<string, number>>;

// Only hashing runs in batches: a password is verified for one person signing in, never many at once.
export type Argon2Job = { readonly op: "hash"; readonly items: readonly string[] };

// Plain CommonJS evaluated as the thread's script: nothing to resolve or compile, whether the product runs
// from dist/, from the TypeScript sources under tsx, or under vitest.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { hashSync } = require(workerData.argon2);
parentPort.on("message", ({ start, items }) => {
  const results = items.map((password) => hashSync(password, workerData.options));
  parentPort.postMessage({ start, results });
});
`;

/** Passwords per message: a few dozen milliseconds of work, so progress moves and the cores share evenly. */
const CHUNK = 16;

const argon2Path = createRequire(import.meta.url).resolve("@node-rs/argon2");

export function runArgon2Job<R>(
  job: Argon2Job,
  options: Argon2Options,
  threads: number,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<R[]> {
  const total = job.items.length;
  const results = new Array<R>(total);
  if (total === 0) return Promise.resolve(results);
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    let next = 0;
    let done = 0;
    let failed = false;
    const workers: Worker[] = [];
    // Threads stopped on purpose (out of work, or the job is over): their exit is no failure.
    const retired = new Set<Worker>();
    const retire = (worker: Worker): void => {
      retired.add(worker);
      void worker.terminate();
    };
    const stopAll = (): void => {
      for (const worker of workers) retire(worker);
    };
    const feed = (worker: Worker): void => {
      if (next >= total) {
        retire(worker);
        return;
      }
      const start = next;
      next = Math.min(total, next + CHUNK);
      worker.postMessage({ op: job.op, start, items: job.items.slice(start, next) });
    };
    // Aborted: every thread stops (a chunk in flight is dropped) and the job rejects with the signal's reason.
    signal?.addEventListener(
      "abort",
      () => {
        if (failed || done === total) return;
        failed = true;
        stopAll();
        reject(signal.reason as Error);
      },
      { once: true },
    );
    const count = Math.max(1, Math.min(threads, Math.ceil(total / CHUNK)));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { argon2: argon2Path, options },
        // The thread needs neither the parent's stdin nor its environment.
        stdin: false,
        env: {},
      });
      workers.push(worker);
      worker.on("message", (reply: { start: number; results: R[] }) => {
        for (let k = 0; k < reply.results.length; k++) results[reply.start + k] = reply.results[k] as R;
        done += reply.results.length;
        onProgress?.(done);
        if (done === total) {
          stopAll();
          resolve(results);
        } else feed(worker);
      });
      worker.on("error", (error) => {
        if (failed) return;
        failed = true;
        stopAll();
        reject(error);
      });
      worker.on("exit", (code) => {
        if (!retired.has(worker) && !failed) {
          failed = true;
          stopAll();
          reject(new Error(`an argon2 worker stopped (exit ${code}) with ${total - done} passwords to go`));
        }
      });
      feed(worker);
    }
  });
}
