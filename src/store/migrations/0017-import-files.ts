import { PostgresAdapter, type Kysely } from "kysely";

// The bytes of each upload (issue 13), kept so an import's results file (the uploaded sheet with Status and
// Error columns) can be written later: the import record keeps only the file's sha256. Deleted with the
// import, and pruned after 7 days by the repository. Never edited once landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? "bytea" : "blob";
  await db.schema
    .createTable("import_files")
    .addColumn("import_id", "text", (c) => c.primaryKey().references("imports.id").onDelete("cascade"))
    .addColumn("bytes", binary, (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("import_files_created_idx").on("import_files").column("created_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("import_files").execute();
}
