import {
  CompiledQuery,
  PostgresAdapter,
  PostgresDialect,
  sql,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type DialectAdapter,
  type Kysely,
  type SchemaMetadata,
  type TableMetadata,
} from "kysely";
import type pg from "pg";

/**
 * Kysely's PostgreSQL adapter takes one advisory lock for the whole database while it migrates, so servers
 * (and test runs) on different schemas of one database wait for each other's migrations, and even for the
 * no-op check every CLI command makes. The lock here is per schema: servers sharing a schema still migrate
 * one at a time.
 */
class SchemaMigrationLockAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`select pg_advisory_lock(hashtextextended('mailroster migrations ' || current_schema(), 0))`.execute(
      db,
    );
  }

  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`select pg_advisory_unlock(hashtextextended('mailroster migrations ' || current_schema(), 0))`.execute(
      db,
    );
  }
}

/**
 * Kysely's introspector reads every schema of the database; the migrator asks it whether its own table
 * exists, and that scan fails ("relation ... does not exist") when another schema's migration is creating
 * tables at the same moment. Ours reads the current schema only.
 */
class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{
      schema: string;
      table: string;
      is_view: boolean;
      column: string;
      type: string;
      nullable: boolean;
      has_default: boolean;
      auto: boolean;
    }>`
      select c.table_schema as schema, c.table_name as table, t.table_type = 'VIEW' as is_view,
             c.column_name as column, c.udt_name as type, c.is_nullable = 'YES' as nullable,
             c.column_default is not null as has_default,
             coalesce(c.column_default like 'nextval(%', false) or c.is_identity = 'YES' as auto
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.db);
    const tables = new Map<string, TableMetadata & { columns: TableMetadata["columns"][number][] }>();
    for (const row of rows) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.is_view, columns: [] };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        isNullable: row.nullable,
        isAutoIncrementing: row.auto,
        hasDefaultValue: row.has_default,
      });
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/**
 * Settings of every connection the pool opens. JIT compiled a short search's plan for ~200 ms whenever its
 * cost estimate passed jit_above_cost (a scan of a million rows does), more than the scan took. Synchronized
 * scans started a LIMIT'd scan where the last scan of the table stopped: a short search that reads rows until
 * it has a thousand took 30 ms or 5 s by where that was (text common at one end of the table, absent in the
 * middle); from the table's start it costs the same each time, as on SQLite.
 */
export const SESSION_SETTINGS_SQL =
  "select set_config('jit', 'off', false), set_config('synchronize_seqscans', 'off', false)";
const SESSION_SETTINGS = CompiledQuery.raw(SESSION_SETTINGS_SQL);

export class SchemaLockingPostgresDialect extends PostgresDialect {
  constructor(pool: pg.Pool) {
    super({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(SESSION_SETTINGS);
      },
    });
  }

  override createAdapter(): DialectAdapter {
    return new SchemaMigrationLockAdapter();
  }

  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
