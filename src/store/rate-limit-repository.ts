import { sql } from "kysely";
import type { Executor } from "./schema.js";

/**
 * Counts one hit of `key` in its fixed window and returns the window's start and count after the hit: one
 * upsert, atomic on PostgreSQL, so servers sharing the table count together. A window older than
 * `windowMs` starts again at `now`.
 */
export async function hitRateLimitWindow(
  db: Executor,
  key: string,
  now: number,
  windowMs: number,
): Promise<{ windowStart: number; count: number }> {
  const row = await db
    .insertInto("rate_limit_windows")
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        window_start: sql<number>`case when rate_limit_windows.window_start <= ${now - windowMs}
          then ${now} else rate_limit_windows.window_start end`,
        count: sql<number>`case when rate_limit_windows.window_start <= ${now - windowMs}
          then 1 else rate_limit_windows.count + 1 end`,
      }),
    )
    .returning(["window_start", "count"])
    .executeTakeFirstOrThrow();
  return { windowStart: Number(row.window_start), count: row.count };
}

/** Forgets windows that ended before `before` (ms since the epoch); returns how many. */
export async function pruneRateLimitWindows(db: Executor, before: number): Promise<number> {
  const result = await db
    .deleteFrom("rate_limit_windows")
    .where("window_start", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
