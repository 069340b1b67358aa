import type { Kysely } from "kysely";
import { hitRateLimitWindow, pruneRateLimitWindows } from "../../store/rate-limit-repository.js";
import type { Database } from "../../store/schema.js";

// Prune once in this many hits: the table holds the live windows plus at most a few hundred ended ones.
const PRUNE_EVERY = 500;

/**
 * Fixed-window counts in rate_limit_windows, shared by every server on one PostgreSQL (the sign-in limit
 * holds across servers); windows that ended are pruned now and then, so an address sweep cannot grow the
 * table without bound.
 */
export function createSharedRateLimitStore(db: Kysely<Database>): {
  hit(key: string, now: number, windowMs: number): Promise<{ windowStart: number; count: number }>;
} {
  let hits = 0;
  return {
    async hit(key, now, windowMs) {
      if (++hits % PRUNE_EVERY === 0) await pruneRateLimitWindows(db, now - windowMs);
      return hitRateLimitWindow(db, key, now, windowMs);
    },
  };
}
