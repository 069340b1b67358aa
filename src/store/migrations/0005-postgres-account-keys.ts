import { PostgresAdapter, sql, type Kysely } from "kysely";

// PostgreSQL only: drops the foreign key to accounts from rows that belong to a user (or a connector
// entry), whose own key to users stands. On PostgreSQL every foreign key is a trigger that runs a locking
// look-up for each inserted row; an import of 65,535 users writes about 720,000 such rows, and these checks
// of the one account row took 3 of the 11 seconds of the save (bench/import.ts). Accounts are never deleted,
// and the account of each of these rows is written by repository code from its user or group, never from
// input. SQLite checks keys without locking, at a fraction of the cost, so it keeps them. Never edited once
// landed.

const CHILD_TABLES = [
  "addresses",
  "attribute_values",
  "notes",
  "group_members",
  "role_assignments",
  "password_history",
] as const;

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of CHILD_TABLES) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(`${table}_account_id_fkey`)}`.execute(
      db,
    );
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  for (const table of CHILD_TABLES) {
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(`${table}_account_id_fkey`)}
      foreign key (account_id) references accounts (id)`.execute(db);
  }
}
