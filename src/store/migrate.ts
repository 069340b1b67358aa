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

/**
 * Whether every migration this code knows is recorded as applied: one read of the bookkeeping table, where
 * the migrator (on PostgreSQL a schema lock and an introspection of the schema) costs ~100 ms, which every CLI
 * command would pay before its point look-up. False when the table is missing or anything is pending.
 */
async function isCurrent<DB>(db: Kysely<DB>): Promise<boolean> {
  const known = Object.keys(await migrationProvider.getMigrations());
  try {
    // The current schema's own table on PostgreSQL: another schema on the search path may hold its own copy.
    const table =
      db.getExecutor().adapter instanceof PostgresAdapter
        ? sql.id(
            (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema ??
              "public",
            "kysely_migration",
          )
        : sql.id("kysely_migration");
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** Applies every pending migration; returns one line per migration run (none when the schema is current). */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  if (await isCurrent(db)) return [];
  return unwrap(await (await createMigrator(db)).migrateToLatest());
}

/** Reverts every migration (tests use it to prove down() undoes up()). */
export async function migrateToEmpty<DB>(db: Kysely<DB>): Promise<string[]> {
  return unwrap(await (await createMigrator(db)).migrateTo(NO_MIGRATIONS));
}
