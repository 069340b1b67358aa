import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToEmpty, migrateToLatest } from "../../src/store/migrate.js";
import { migrationProvider } from "../../src/store/migrations/index.js";
import type { DialectName } from "../../src/store/open-database.js";
import type { Database } from "../../src/store/schema.js";
import { DIALECTS, createEmptyDatabase } from "../support/databases.js";

/** Tables, columns and indexes as the database reports them, without the migrator's own tables. */
async function describeSchema(db: Kysely<Database>, dialect: DialectName): Promise<unknown> {
  // PostgreSQL lists every schema's tables; other tests' schemas share the server.
  const schema =
    dialect === "postgres"
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const tables = (await db.introspection.getTables())
    .filter((t) => !t.name.startsWith("kysely_") && t.schema === schema)
    .map((t) => ({
      name: t.name,
      columns: t.columns
        .map((c) => ({
          name: c.name,
          type: c.dataType,
          nullable: c.isNullable,
          hasDefault: c.hasDefaultValue,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const indexes =
    dialect === "sqlite"
      ? (
          await sql<{ name: string; sql: string | null }>`
            select name, sql from sqlite_master where type = 'index' and tbl_name not like 'kysely_%'`.execute(
            db,
          )
        ).rows.map((r) => `${r.name}: ${r.sql ?? "(implicit)"}`)
      : (
          await sql<{ indexname: string; indexdef: string }>`
            select indexname, indexdef from pg_indexes
            where schemaname = current_schema() and tablename not like 'kysely_%'`.execute(db)
        ).rows.map((r) => `${r.indexname}: ${r.indexdef.replace(/ ON \w+\./, " ON ")}`);
  return { tables, indexes: indexes.sort() };
}

describe.each(DIALECTS)("migrations on %s", (dialect) => {
  it("a fresh schema equals one migrated up, down and up again", async () => {
    const fresh = await createEmptyDatabase(dialect);
    const cycled = await createEmptyDatabase(dialect);
    try {
      // Derived from the provider, so a new migration needs no edit here.
      const names = Object.keys(await migrationProvider.getMigrations()).sort();
      expect(await migrateToLatest(fresh.db)).toEqual(names.map((n) => `applied ${n}`));
      await migrateToLatest(cycled.db);
      expect(await migrateToEmpty(cycled.db)).toEqual(names.reverse().map((n) => `reverted ${n}`));
      expect(await describeSchema(cycled.db, dialect)).toEqual({ tables: [], indexes: [] });
      await migrateToLatest(cycled.db);
      const expected = await describeSchema(fresh.db, dialect);
      expect(await describeSchema(cycled.db, dialect)).toEqual(expected);
      const tableNames = (expected as { tables: { name: string }[] }).tables.map((t) => t.name);
      expect(tableNames).toEqual(
        expect.arrayContaining([
          "users",
          "audit_log",
          "imports",
          "outbox",
          "connectors",
          "sync_runs",
          "console_sessions",
          "api_tokens",
        ]),
      );
      expect(await migrateToLatest(fresh.db)).toEqual([]);
    } finally {
      await fresh.drop();
      await cycled.drop();
    }
  });
});
