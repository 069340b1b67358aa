import { sql, type Selectable, type SelectQueryBuilder, type SqlBool } from "kysely";
import { inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { Database, Executor } from "./schema.js";

// The look-ups every repository repeats, written once: a row by a unique key, the rows whose key is among
// many, a count. Table and column names come from repository code only, never from input.

type TableName = keyof Database;

/** The row of `table` whose `column`, a unique key, is `value`, if any. */
export async function findRowByKey<T extends TableName>(
  db: Executor,
  table: T,
  column: keyof Database[T] & string,
  value: string,
): Promise<Selectable<Database[T]> | undefined> {
  // Kysely cannot type a query over a generic table: it runs over the plain name and a reference to the
  // column, and the caller's table name fixes the row type.
  const name: TableName = table;
  const found: unknown = await db
    .selectFrom(name)
    .selectAll()
    .where(sql<SqlBool>`${sql.ref(column)} = ${value}`)
    .executeTakeFirst();
  return found as Selectable<Database[T]> | undefined;
}

/** Every row of `table` whose `column` is among `keys`, a chunk of keys per statement. */
export async function findRowsByKeys<T extends TableName>(
  db: Executor,
  table: T,
  column: keyof Database[T] & string,
  keys: readonly string[],
): Promise<Selectable<Database[T]>[]> {
  const name: TableName = table; // as in findRowByKey
  const rows: unknown[] = await selectInChunks(keys, (chunk) =>
    db
      .selectFrom(name)
      .selectAll()
      .where(inKeys(db, column, chunk))
      .execute(),
  );
  return rows as Selectable<Database[T]>[];
}

/** How many rows `query` matches. PostgreSQL's count is a bigint, which pg hands over as text. */
export async function countRows<DB, TB extends keyof DB>(
  query: SelectQueryBuilder<DB, TB, object>,
): Promise<number> {
  // Over a generic DB, Kysely cannot narrow the result to the one selection made here.
  const counted = (await query
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst()) as { n: number | string } | undefined;
  return Number(counted?.n ?? 0);
}

/**
 * One page of the rows `base` matches, from `page.offset` in the order `read` gives them (it selects and
 * orders), and how many `base` matches in all; a page of no rows reads no rows.
 */
export async function offsetPage<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, object>,
  page: { readonly offset: number; readonly limit: number },
  read: (base: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, O>,
): Promise<{ rows: O[]; total: number }> {
  const total = await countRows(base);
  const rows = page.limit === 0 ? [] : await read(base).offset(page.offset).limit(page.limit).execute();
  return { rows, total };
}
