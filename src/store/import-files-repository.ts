import type { Executor } from "./schema.js";

/** How long an upload's bytes are kept for its results file. */
export const IMPORT_FILE_DAYS = 7;

/**
 * Keeps an upload's bytes beside its import record, and prunes the bytes of uploads older than 7 days
 * (their results files are no longer offered): every upload pays for the pruning, so no job is needed.
 */
export async function saveImportFile(
  db: Executor,
  file: { importId: string; bytes: Uint8Array; createdAt: string },
): Promise<void> {
  const cutoff = new Date(Date.parse(file.createdAt) - IMPORT_FILE_DAYS * 86_400_000).toISOString();
  await db.deleteFrom("import_files").where("created_at", "<", cutoff).execute();
  await db
    .insertInto("import_files")
    // A Buffer: both drivers store it as binary (node-postgres sends a plain Uint8Array as text).
    .values({ import_id: file.importId, bytes: Buffer.from(file.bytes), created_at: file.createdAt })
    .execute();
}

/** The upload's bytes, or undefined once pruned (or for an import recorded before migration 0017). */
export async function loadImportFile(db: Executor, importId: string): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom("import_files")
    .select("bytes")
    .where("import_id", "=", importId)
    .executeTakeFirst();
  return row === undefined ? undefined : new Uint8Array(row.bytes);
}
