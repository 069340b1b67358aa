import type { Kysely } from "kysely";

// Migrations never change once landed: add a new file instead.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per import: a persisted state machine (uploaded -> validated -> saving -> saved | failed).
  await db.schema
    .createTable("imports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("options_json", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("sheet", "text")
    .addColumn("checkpoint", "text")
    .addColumn("summary_json", "text")
    .addColumn("errors_json", "text", (c) => c.notNull())
    .addColumn("warnings_json", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("imports_account_created_idx")
    .on("imports")
    .columns(["account_id", "created_at"])
    .execute();

  // Mail written in the transaction of the change it reports, sent after commit by the dispatcher.
  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema.createIndex("outbox_state_idx").on("outbox").columns(["state", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("outbox").execute();
  await db.schema.dropTable("imports").execute();
}
