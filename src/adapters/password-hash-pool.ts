import { availableParallelism } from "node:os";
import type { PasswordHasher } from "./password-hasher.js";

/**
 * Runs argon2id over many passwords on every core: the hasher's own batch methods when it has them (the
 * argon2 hasher's worker threads), else `cores` hashes in flight on libuv's thread pool (bin/mailroster.js
 * sizes it to the cores). bench/import.ts measures the rate against cores x one core's rate.
 */
export function hashingConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/** Maps `work` over `items` with at most `concurrency` in flight; results keep the order of `items`. */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      signal?.throwIfAborted();
      const index = next++;
      results[index] = await work(items[index] as T);
      done++;
      onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

export function hashAll(
  hasher: PasswordHasher,
  passwords: readonly string[],
  onProgress?: (done: number) => void,
  signal?: AbortSignal,
): Promise<string[]> {
  if (hasher.hashMany) return hasher.hashMany(passwords, onProgress, signal);
  return mapConcurrently(passwords, hashingConcurrency(), (p) => hasher.hash(p), onProgress, signal);
}
