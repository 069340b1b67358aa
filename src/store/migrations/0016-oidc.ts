import type { Kysely } from "kysely";

/**
 * The OpenID Connect provider (issue 14): the clients an administrator registered, the signing keys (sealed
 * under MAILROSTER_SECRET_KEY), and oidc-provider's own models (sessions, grants, codes, tokens, ...) as JSON
 * payloads keyed by model and id, with the lookups its adapter contract asks for and an expiry to prune by.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("oidc_clients")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("secret_sealed", "text")
    .addColumn("redirect_uris", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("oidc_clients_account_idx").on("oidc_clients").column("account_id").execute();

  await db.schema
    .createTable("oidc_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sealed", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("retired_at", "text")
    .execute();

  await db.schema
    .createTable("oidc_models")
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("grant_id", "text")
    .addColumn("uid", "text")
    .addColumn("user_code", "text")
    .addColumn("expires_at", "text")
    .addColumn("consumed_at", "text")
    .addPrimaryKeyConstraint("oidc_models_pk", ["model", "id"])
    .execute();
  await db.schema.createIndex("oidc_models_grant_idx").on("oidc_models").column("grant_id").execute();
  await db.schema.createIndex("oidc_models_uid_idx").on("oidc_models").columns(["model", "uid"]).execute();
  await db.schema
    .createIndex("oidc_models_user_code_idx")
    .on("oidc_models")
    .columns(["model", "user_code"])
    .execute();
  await db.schema.createIndex("oidc_models_expiry_idx").on("oidc_models").column("expires_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("oidc_models").execute();
  await db.schema.dropTable("oidc_keys").execute();
  await db.schema.dropTable("oidc_clients").execute();
}
