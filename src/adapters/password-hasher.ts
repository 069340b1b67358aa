import { availableParallelism } from "node:os";
import { runArgon2Job } from "./argon2-workers.js";

/** Hashes and verifies cloud passwords; the only place a plain password is turned into something stored. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Many at once, on every core (password-hash-pool.ts falls back to `hash` when absent). */
  /** Stops (rejecting with the signal's reason) once `signal` aborts: a cancelled import hashes no further. */
  hashMany?(
    passwords: readonly string[],
    onProgress?: (done: number) => void,
    signal?: AbortSignal,
  ): Promise<string[]>;
}

/**
 * OWASP Password Storage Cheat Sheet: argon2id, m=12288 KiB (12 MiB), t=3, p=1, one of the configurations it
 * rates as equally strong (with m=19 MiB t=2 and m=9 MiB t=4). Of those, this one hashed fastest here, on one
 * core (270/s against 207/s for 19 MiB) and on two (450/s against 247/s: two 19 MiB hashes at once no longer
 * fit the shared 32 MiB L3 cache): an import of 65,535 passwords takes half the time. Stored hashes carry
 * their parameters, so hashes made with other settings still verify.
 */
export const OWASP_ARGON2ID = { memoryCost: 12_288, timeCost: 3, parallelism: 1 } as const;

// `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot import; 2 is Algorithm.Argon2id.
const ARGON2ID = 2;

/** Below this many, worker threads cost more to start than they save. */
const WORKERS_FROM = 8;

// Loaded at the first hash, not by every command that builds a context (~30 ms of a `recipients check`).
const argon2 = () => import("@node-rs/argon2");

export function createArgon2Hasher(): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...OWASP_ARGON2ID };
  const threads = Math.max(1, availableParallelism());
  const hasher: PasswordHasher = {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the const enum cannot be imported (see ARGON2ID)
    hash: async (password) => (await argon2()).hash(password, { algorithm: ARGON2ID, ...OWASP_ARGON2ID }),
    verify: async (hashed, password) => {
      try {
        return await (await argon2()).verify(hashed, password);
      } catch {
        // A malformed stored hash verifies nothing.
        return false;
      }
    },
    hashMany: async (passwords, onProgress, signal) =>
      passwords.length < WORKERS_FROM
        ? Promise.all(passwords.map((p) => hasher.hash(p)))
        : runArgon2Job<string>({ op: "hash", items: passwords }, options, threads, onProgress, signal),
  };
  return hasher;
}
