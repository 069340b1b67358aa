import type SQLite from "better-sqlite3";

// The search index's two keys, computed the same way by JavaScript, by SQLite (these functions, registered on
// every connection) and by PostgreSQL (the SQL functions of migration 0014): a test holds them to one order.

/** Case- and width-folded text: NFKC then lower case, so "Ünïcødé", "ünïcødé" and "ＵＮＩ" meet. */
export function foldSearchText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

/**
 * A numeric-aware sort key: the folded text with every run of ASCII digits prefixed by one character that
 * encodes its length ('0' + length, capped at '~'), so user2 sorts before user10 under plain code-point order
 * (SQLite's BINARY, PostgreSQL's "C" collation) and the key stays short (one byte per run, not zero padding).
 */
export function searchSortKey(text: string): string {
  return foldSearchText(text).replace(
    /[0-9]+/g,
    (digits) => String.fromCharCode(48 + Math.min(digits.length, 78)) + digits,
  );
}

/** Registers the keys as SQL functions on a SQLite connection (the triggers of migration 0014 call them). */
export function registerSearchFunctions(connection: SQLite.Database): void {
  const options = { deterministic: true, varargs: false } as const;
  connection.function("mailroster_fold", options, (text: unknown) =>
    typeof text === "string" ? foldSearchText(text) : null,
  );
  connection.function("mailroster_sort_key", options, (text: unknown) =>
    typeof text === "string" ? searchSortKey(text) : null,
  );
}
