import { CompiledQuery } from "kysely";
import type { Executor } from "../schema.js";
import { isPostgres } from "./dialect.js";

/** One row's values, in the order of the statement's columns. */
export type Rows = readonly (readonly (string | number | null)[])[];

const INSERT_BATCH = 20_000;

/**
 * A bulk INSERT written directly as SQL text: for hundreds of thousands of rows, building them through the
 * query builder (an object tree per value, then compiling it) costs more than the database's own work.
 * Table and column names come from repository code only, never from input. `conflict` is an ON CONFLICT
 * clause (with its leading space), or "".
 */
export async function insertRows(
  db: Executor,
  table: string,
  columns: readonly string[],
  rows: Rows,
  conflict = "",
): Promise<void> {
  const insert = isPostgres(db) ? unnestInsert : jsonInsert;
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await db.executeQuery(insert(table, columns, rows.slice(start, start + INSERT_BATCH), conflict));
  }
}

/**
 * `insertRows` for rows that carry each column under its own name: the column list is written once and each
 * row's values are read from it, so the two lists cannot fall out of step.
 */
export async function insertRecords<K extends string>(
  db: Executor,
  table: string,
  columns: readonly K[],
  // NoInfer: the columns name the keys; a row may carry other fields, of any type.
  rows: readonly Readonly<Record<NoInfer<K>, string | number | null>>[],
  conflict = "",
): Promise<void> {
  await insertRows(
    db,
    table,
    columns,
    rows.map((row) => columns.map((column) => row[column])),
    conflict,
  );
}

/**
 * SQLite: the batch as one JSON array of row arrays in a single parameter, unpacked by `json_each`. A
 * VALUES list with a parameter per value makes SQLite parse and plan a statement of thousands of
 * placeholders per batch, which measured 40% slower than this; the statement text here never changes.
 */
function jsonInsert(table: string, columns: readonly string[], batch: Rows, conflict: string): CompiledQuery {
  // `where true` tells SQLite that a following ON CONFLICT is the upsert clause, not a join constraint.
  const text =
    `insert into ${table} (${columns.join(", ")}) select ` +
    columns.map((_, i) => `value ->> ${i}`).join(", ") +
    ` from json_each(?) where true${conflict}`;
  return CompiledQuery.raw(text, [JSON.stringify(batch)]);
}

/**
 * PostgreSQL: one array parameter per column and `unnest`, instead of a VALUES list with a parameter per
 * value: the bind message and the plan stay small however many rows a batch holds. Every number we store
 * is a whole 0/1 or count, hence integer[].
 */
function unnestInsert(
  table: string,
  columns: readonly string[],
  batch: Rows,
  conflict: string,
): CompiledQuery {
  const arrays = columns.map((_, c) => batch.map((row) => row[c] ?? null));
  const types = arrays.map((values) => (values.some((v) => typeof v === "number") ? "integer[]" : "text[]"));
  const text =
    `insert into ${table} (${columns.join(", ")}) select * from unnest(` +
    types.map((type, i) => `$${i + 1}::${type}`).join(", ") +
    `)${conflict}`;
  return CompiledQuery.raw(text, arrays);
}

// Well under SQLite's 32766 bound parameters per statement (PostgreSQL allows 65535).
const MAX_PARAMS = 12_000;

/**
 * For statements with a parameter per value (a VALUES list joined by id, a multi-row insert through the
 * query builder): `run` gets batches small enough that `columns` parameters a row stay under the bound.
 */
export async function inParameterBatches<T>(
  rows: readonly T[],
  columns: number,
  run: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += size) await run(rows.slice(i, i + size));
}
