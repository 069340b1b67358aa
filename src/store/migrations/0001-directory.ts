import type { Kysely } from "kysely";

// Migrations never change once landed: add a new file instead. Kysely<unknown>: a migration must not depend
// on today's schema types.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("accounts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("code_key", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("parent_id", "text", (c) => c.references("accounts.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("domains")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("recipient_validation", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("domains_account_idx").on("domains").column("account_id").execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_key", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("password_hash", "text")
    .addColumn("password_set_at", "text")
    .addColumn("force_change_password", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("password_never_expires", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("pop", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("submit", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("users_account_idx").on("users").column("account_id").execute();

  await db.schema
    .createTable("addresses")
    .addColumn("address_key", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("addresses_user_idx").on("addresses").column("user_id").execute();

  await db.schema
    .createTable("attribute_definitions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("name_key", "text", (c) => c.notNull())
    .addUniqueConstraint("attribute_definitions_name_unique", ["account_id", "name_key"])
    .execute();

  await db.schema
    .createTable("attribute_values")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("definition_id", "text", (c) =>
      c.notNull().references("attribute_definitions.id").onDelete("cascade"),
    )
    .addColumn("value", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("attribute_values_pk", ["user_id", "definition_id"])
    .execute();

  await db.schema
    .createTable("notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("author", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("notes_user_idx").on("notes").column("user_id").execute();

  await db.schema
    .createTable("profile_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("parent_id", "text", (c) => c.references("profile_groups.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("path_key", "text", (c) => c.notNull())
    .addUniqueConstraint("profile_groups_path_unique", ["account_id", "path_key"])
    .execute();

  await db.schema
    .createTable("group_members")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("group_id", "text", (c) => c.notNull().references("profile_groups.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addPrimaryKeyConstraint("group_members_pk", ["group_id", "user_id"])
    .execute();
  await db.schema.createIndex("group_members_user_idx").on("group_members").column("user_id").execute();

  await db.schema
    .createTable("role_assignments")
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("role_assignments_pk", ["user_id", "role"])
    .execute();

  await db.schema
    .createTable("password_policies")
    .addColumn("account_id", "text", (c) => c.primaryKey().references("accounts.id"))
    .addColumn("min_length", "integer", (c) => c.notNull())
    .addColumn("require_upper", "integer", (c) => c.notNull())
    .addColumn("require_lower", "integer", (c) => c.notNull())
    .addColumn("require_digit", "integer", (c) => c.notNull())
    .addColumn("require_symbol", "integer", (c) => c.notNull())
    .addColumn("min_classes", "integer", (c) => c.notNull())
    .addColumn("refuse_common", "integer", (c) => c.notNull())
    .addColumn("max_age_days", "integer", (c) => c.notNull())
    .addColumn("history", "integer", (c) => c.notNull())
    .addColumn("lockout_threshold", "integer", (c) => c.notNull())
    .addColumn("lockout_minutes", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("password_history")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("set_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("password_history_user_idx").on("password_history").column("user_id").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("address", "text")
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .execute();
  await db.schema
    .createIndex("audit_log_account_at_idx")
    .on("audit_log")
    .columns(["account_id", "at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Children before parents, so foreign keys never block a drop.
  for (const table of [
    "audit_log",
    "password_history",
    "password_policies",
    "role_assignments",
    "group_members",
    "profile_groups",
    "notes",
    "attribute_values",
    "attribute_definitions",
    "addresses",
    "users",
    "domains",
    "accounts",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
