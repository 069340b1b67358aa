import { Migrator, NO_MIGRATIONS, PostgresAdapter, sql, type Kysely, type MigrationResultSet } from "kysely";
import { AppError } from "../errors/app-error.js";
import { migrationProvider } from "./migrations/index.js";

async function createMigrator<DB>(db: Kysely<DB>): Promise<Migrator> {
  // On PostgreSQL the migrator's bookkeeping tables go in the current schema explicitly: Kysely otherwise
  // looks for them across every schema and is fooled by another schema's copy on a shared server.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const schema = rows[0]?.schema ?? "public";
    return new Migrator({
      db,
      provider: migrationProvider,
      migrationTableSchema: schema,
      allowUnorderedMigrations: true,
    });
  }
  // Unordered: 0002 (the import) and 0003 (directory sync) land in parallel, so a database may have 0003
  // applied before 0002 arrives; each migration touches only its own tables.
  return new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
}

function unwrap(result: MigrationResultSet): string[] {
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new AppError(
      "database_unreachable",
      `Migration ${failed} failed: ${result.error instanceof Error ? result.error.message : "unknown error"}`,
      {
        migration: failed,
      },
    );
  }
  return (result.results ?? []).map(
    (r) => `${r.direction === "Up" ? "applied" : "reverted"} ${r.migrationName}`,
  );
}

/** Applies every pending migration; returns one line per migration run. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await (await createMigrator(db)).migrateToLatest());
}

/** Reverts every migration (tests use it to prove down() undoes up()). */
export async function migrateToEmpty<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await (await createMigrator(db)).migrateTo(NO_MIGRATIONS));
}
