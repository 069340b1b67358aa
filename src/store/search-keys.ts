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

/**
 * Registers the keys as SQL functions on a SQLite connection (the triggers of migration 0014 call them), and the
 * connection's switch for the insert triggers (migration 0018): `mailroster_search_triggers()` answers whether they
 * run, `mailroster_hold_search_triggers(1)` holds them off while a bulk writer writes the index itself, `(0)` lets
 * them run again. A flag of the connection, since SQLite has no setting local to a transaction; the bulk writer
 * sets and clears it within its own transaction on the writer connection (search-index-repository.ts).
 */
export function registerSearchFunctions(connection: SQLite.Database): void {
  const options = { deterministic: true, varargs: false } as const;
  connection.function("mailroster_fold", options, (text: unknown) =>
    typeof text === "string" ? foldSearchText(text) : null,
  );
  connection.function("mailroster_sort_key", options, (text: unknown) =>
    typeof text === "string" ? searchSortKey(text) : null,
  );
  let held = false;
  connection.function("mailroster_search_triggers", { deterministic: false }, () => (held ? 0 : 1));
  connection.function("mailroster_hold_search_triggers", { deterministic: false }, (hold: unknown) => {
    held = hold === 1 || hold === 1n;
    return held ? 1 : 0;
  });
}
