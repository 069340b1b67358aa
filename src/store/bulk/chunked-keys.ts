import { sql, type RawBuilder, type SqlBool } from "kysely";
import type { Executor } from "../schema.js";
import { isPostgres } from "./dialect.js";

/**
 * Look-ups of many keys: each chunk's keys travel as ONE bound parameter (see `inKeys`), so a chunk is
 * bounded by memory, not by SQLite's 32766 parameters per statement.
 */
export const KEY_CHUNK = 20_000;

/**
 * `column` is one of `keys`, as one bound parameter: a JSON array unpacked by `json_each` on SQLite, a text
 * array on PostgreSQL. An IN list of thousands of parameters costs a query-builder node per key and a large
 * statement to parse and plan, for every chunk.
 */
export function inKeys(db: Executor, column: string, keys: readonly string[]): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${sql.ref(column)} = any(${keys}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(keys)}))`;
}

/** Runs `run` on each chunk of `keys`, one after the other (a transaction has one connection). */
export async function forEachKeyChunk(
  keys: readonly string[],
  run: (chunk: string[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < keys.length; i += KEY_CHUNK) await run(keys.slice(i, i + KEY_CHUNK));
}

/** Hands each row to `each` a chunk at a time, so a caller folding rows into maps never holds them all. */
export async function eachInChunks<T>(
  keys: readonly string[],
  select: (chunk: string[]) => Promise<T[]>,
  each: (row: T) => void,
): Promise<void> {
  await forEachKeyChunk(keys, async (chunk) => {
    for (const row of await select(chunk)) each(row);
  });
}

/** Every row `select` finds for the keys, chunk by chunk. */
export async function selectInChunks<T>(
  keys: readonly string[],
  select: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  await eachInChunks(keys, select, (row) => out.push(row));
  return out;
}
