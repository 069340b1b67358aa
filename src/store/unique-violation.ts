/**
 * A unique key refused a row: someone else wrote the same key between a check and its write. SQLite's and
 * PostgreSQL's (also PGlite's) codes for it; the store's one reading of driver errors.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = error.code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}
