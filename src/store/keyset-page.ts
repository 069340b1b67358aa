import { sql, type RawBuilder, type SqlBool } from "kysely";

// Keyset paging shared by the lists that can grow long (audit, imports; users have search-repository.ts):
// a page is the rows strictly after (or before) a sort position, read along the order's index.

export type KeysetValue = string | number;

export interface KeysetRequest {
  /** The rows after this position in the list's order (the next page). */
  readonly after?: readonly KeysetValue[] | undefined;
  /** The rows before it (the previous page), read backwards and returned in display order. */
  readonly before?: readonly KeysetValue[] | undefined;
  readonly limit: number;
}

/** `(a, b, c) < (?, ?, ?)` (or `>`): a row-value comparison both SQLite (3.15+) and PostgreSQL index. */
export function keysetCondition(
  columns: readonly string[],
  position: readonly KeysetValue[],
  greater: boolean,
): RawBuilder<SqlBool> {
  if (position.length !== columns.length) throw new RangeError("cursor of another list");
  const tuple = sql`(${sql.join(columns.map((c) => sql.ref(c)))})`;
  const values = sql`(${sql.join(position.map((v) => sql`${v}`))})`;
  return greater ? sql<SqlBool>`${tuple} > ${values}` : sql<SqlBool>`${tuple} < ${values}`;
}

/** Which way to read: a previous page reads the other way round. */
export function keysetDirection(
  page: KeysetRequest,
  descending: boolean,
): { descending: boolean; backwards: boolean } {
  const backwards = page.before !== undefined;
  return { descending: descending !== backwards, backwards };
}
