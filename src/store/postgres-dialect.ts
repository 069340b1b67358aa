import { PostgresAdapter, PostgresDialect, sql, type DialectAdapter, type Kysely } from "kysely";
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

export class SchemaLockingPostgresDialect extends PostgresDialect {
  constructor(pool: pg.Pool) {
    super({ pool });
  }

  override createAdapter(): DialectAdapter {
    return new SchemaMigrationLockAdapter();
  }
}
