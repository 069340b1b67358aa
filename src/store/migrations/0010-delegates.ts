import type { Kysely } from "kysely";

// Delegate mailbox access (issue 12): who may open whose mailbox, and the kind of each import ('users', or
// 'delegates' for a sheet of pairs), so the history and the detail of both kinds share one record. Numbered
// 0010 because 0009 is written in parallel; each touches only its own tables and columns. Never edited once
// landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("imports")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("users"))
    .execute();

  // user_id gains access (the Primary Address); delegate_user_id is the mailbox they may open. Either
  // user's deletion removes the pair.
  await db.schema
    .createTable("delegates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("delegate_user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addUniqueConstraint("delegates_pair_unique", ["user_id", "delegate_user_id"])
    .execute();
  // The unique key serves look-ups by user_id; this one serves "who may open this mailbox".
  await db.schema
    .createIndex("delegates_delegate_user_idx")
    .on("delegates")
    .column("delegate_user_id")
    .execute();
  await db.schema.createIndex("delegates_account_idx").on("delegates").column("account_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("delegates").execute();
  await db.schema.alterTable("imports").dropColumn("kind").execute();
}
