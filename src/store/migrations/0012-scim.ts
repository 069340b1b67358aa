import type { Kysely } from "kysely";

// SCIM 2.0 provisioning (issue 16): the client's externalId of each user and group it provisioned, and a
// bounded log of SCIM requests (changes and refusals) for the console. Numbered 0012 because 0009-0011 are
// written in parallel; it touches only its own tables. Never edited once landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per user a SCIM client knows; the user's deletion removes it.
  await db.schema
    .createTable("scim_users")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("external_id", "text")
    .addColumn("token_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("scim_users_external_idx")
    .on("scim_users")
    .columns(["account_id", "external_id"])
    .execute();
  await db.schema
    .createTable("scim_groups")
    .addColumn("group_id", "text", (c) => c.primaryKey().references("profile_groups.id").onDelete("cascade"))
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("external_id", "text")
    .addColumn("token_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  // Time-ordered ids: the newest rows of an account are the right edge of (account_id, id).
  await db.schema
    .createTable("scim_activity")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("token_id", "text", (c) => c.notNull())
    .addColumn("token_name", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("operations", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("error_code", "text")
    .addColumn("scim_type", "text")
    .addColumn("message", "text")
    .execute();
  await db.schema
    .createIndex("scim_activity_account_idx")
    .on("scim_activity")
    .columns(["account_id", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("scim_activity").execute();
  await db.schema.dropTable("scim_groups").execute();
  await db.schema.dropTable("scim_users").execute();
}
