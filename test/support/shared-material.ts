import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** `../shared` beside the checkout: the real-file corpus and benchmark sheets, which are not ours to commit. */
export const SHARED_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared");
export const CORPUS_DIR = resolve(SHARED_DIR, "corpus");
export const BENCH_DIR = resolve(SHARED_DIR, "bench");

/**
 * True when the folder is there. Under CI its absence fails the run; on a laptop the caller skips, and
 * this says so loudly.
 */
export function haveSharedDir(dir: string, what: string): boolean {
  if (existsSync(dir)) return true;
  const message = `${dir} is missing: ${what} cannot run.`;
  if (process.env.CI === "true") throw new Error(`${message} CI needs ../shared beside the checkout.`);
  console.warn(`\n!!! SKIPPED: ${message} Put the shared folder beside the checkout to run it.\n`);
  return false;
}
