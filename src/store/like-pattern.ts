import { sql, type RawBuilder, type SqlBool } from "kysely";

// LIKE patterns built from text that must match literally. Every statement using them says
// `escape '\'`, which SQLite and PostgreSQL read alike.

/** Escapes LIKE's wildcards and its escape character itself: `%`, `_` and `\` match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A pattern matching `text` anywhere in a value. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** `column LIKE pattern` with the escape character the patterns above use. */
export function likeCondition(column: RawBuilder<unknown>, pattern: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}
