import { SqliteAdapter, sql, type Kysely } from "kysely";

// Directory synchronisation (issue 6): LDAP connectors, the immutable-id mapping, sync runs, the account's
// answer for unknown recipients, and the directory version the in-memory recipient index watches.
// 0002 is left to the import (issue 4), which lands in parallel. Never edit this file once landed.

/** Tables whose writes change a recipient verdict; a trigger bumps directory_version in the same transaction. */
const WATCHED = ["users", "addresses", "domains", "recipient_settings"] as const;

// Asked of the adapter, not by a probing query: a failed statement would abort a PostgreSQL transaction.
function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("connectors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("start_tls", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ca_file", "text")
    .addColumn("bind_dn", "text", (c) => c.notNull())
    .addColumn("bind_password_enc", "text", (c) => c.notNull())
    .addColumn("base_dn", "text", (c) => c.notNull())
    .addColumn("filter", "text", (c) => c.notNull())
    .addColumn("attribute_map_json", "text", (c) => c.notNull())
    .addColumn("remove_missing", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("connectors_name_unique", ["account_id", "name_key"])
    .execute();

  // The join of every sync: (connector, immutable id) -> user. Never the DN or the address, which change.
  await db.schema
    .createTable("connector_users")
    .addColumn("connector_id", "text", (c) => c.notNull().references("connectors.id").onDelete("cascade"))
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("dn", "text", (c) => c.notNull())
    // Set when a healthy run no longer returns the entry (the mark of mark-and-sweep); cleared on return.
    .addColumn("missing_since", "text")
    .addPrimaryKeyConstraint("connector_users_pk", ["connector_id", "external_id"])
    .execute();
  await db.schema.createIndex("connector_users_user_idx").on("connector_users").column("user_id").execute();

  await db.schema
    .createTable("sync_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created", "integer", (c) => c.notNull())
    .addColumn("updated", "integer", (c) => c.notNull())
    .addColumn("reclaimed", "integer", (c) => c.notNull())
    .addColumn("flagged", "integer", (c) => c.notNull())
    .addColumn("removed", "integer", (c) => c.notNull())
    .addColumn("errors_json", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("sync_runs_account_idx")
    .on("sync_runs")
    .columns(["account_id", "started_at"])
    .execute();

  await db.schema
    .createTable("recipient_settings")
    .addColumn("account_id", "text", (c) => c.primaryKey().references("accounts.id"))
    .addColumn("unknown_action", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // One row; its version grows with every write that can change a recipient verdict.
  await db.schema
    .createTable("directory_version")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("version", "integer", (c) => c.notNull())
    .execute();
  await sql`insert into directory_version (id, version) values (1, 0)`.execute(db);

  if (isSqlite(db)) {
    // SQLite has only row-level triggers; each is one primary-key update, cheap even for bulk writes.
    for (const table of WATCHED) {
      for (const event of ["insert", "update", "delete"]) {
        await sql
          .raw(
            `create trigger ${table}_${event}_bump_version after ${event} on ${table} ` +
              `begin update directory_version set version = version + 1 where id = 1; end`,
          )
          .execute(db);
      }
    }
  } else {
    // PostgreSQL: one statement-level trigger per table, so a bulk insert bumps the version once.
    await sql
      .raw(
        `create function bump_directory_version() returns trigger language plpgsql as $$ ` +
          `begin update directory_version set version = version + 1 where id = 1; return null; end $$`,
      )
      .execute(db);
    for (const table of WATCHED) {
      await sql
        .raw(
          `create trigger ${table}_bump_version after insert or update or delete on ${table} ` +
            `for each statement execute function bump_directory_version()`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) {
    for (const table of WATCHED) {
      for (const event of ["insert", "update", "delete"]) {
        await sql.raw(`drop trigger if exists ${table}_${event}_bump_version`).execute(db);
      }
    }
  } else {
    for (const table of WATCHED) {
      await sql.raw(`drop trigger if exists ${table}_bump_version on ${table}`).execute(db);
    }
    await sql.raw(`drop function if exists bump_directory_version()`).execute(db);
  }
  for (const table of [
    "directory_version",
    "recipient_settings",
    "sync_runs",
    "connector_users",
    "connectors",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
