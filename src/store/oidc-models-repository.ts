import type { Selectable } from "kysely";
import type { Executor, OidcModelsTable } from "./schema.js";

// oidc-provider's models (its adapter contract: upsert, find, findByUid, findByUserCode, consume, destroy,
// revokeByGrantId), one row per model and id; the payload is the library's own JSON, never read here.

export type OidcModelRow = Selectable<OidcModelsTable>;

export async function upsertOidcModel(db: Executor, row: OidcModelRow): Promise<void> {
  await db
    .insertInto("oidc_models")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["model", "id"]).doUpdateSet({
        payload: row.payload,
        grant_id: row.grant_id,
        uid: row.uid,
        user_code: row.user_code,
        expires_at: row.expires_at,
        consumed_at: row.consumed_at,
      }),
    )
    .execute();
}

/** The row of a model by one of its keys; an expired one reads as absent (pruning is only housekeeping). */
export async function findOidcModel(
  db: Executor,
  model: string,
  key: { id: string } | { uid: string } | { userCode: string },
  now: string,
): Promise<OidcModelRow | undefined> {
  let query = db.selectFrom("oidc_models").selectAll().where("model", "=", model);
  if ("id" in key) query = query.where("id", "=", key.id);
  else if ("uid" in key) query = query.where("uid", "=", key.uid);
  else query = query.where("user_code", "=", key.userCode);
  return query
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", now)]))
    .executeTakeFirst();
}

export async function consumeOidcModel(db: Executor, model: string, id: string, at: string): Promise<void> {
  await db
    .updateTable("oidc_models")
    .set({ consumed_at: at })
    .where("model", "=", model)
    .where("id", "=", id)
    .execute();
}

export async function deleteOidcModel(db: Executor, model: string, id: string): Promise<void> {
  await db.deleteFrom("oidc_models").where("model", "=", model).where("id", "=", id).execute();
}

/** Revokes everything issued under a grant (codes, tokens, the grant itself), whatever the model. */
export async function deleteOidcModelsByGrant(db: Executor, grantId: string): Promise<void> {
  await db.deleteFrom("oidc_models").where("grant_id", "=", grantId).execute();
}

/** Deletes up to `limit` expired rows; returns how many went, so a caller can go on while it is `limit`. */
export async function pruneExpiredOidcModels(db: Executor, now: string, limit: number): Promise<number> {
  const expired = await db
    .selectFrom("oidc_models")
    .select(["model", "id"])
    .where("expires_at", "<=", now)
    .limit(limit)
    .execute();
  for (const row of expired) await deleteOidcModel(db, row.model, row.id);
  return expired.length;
}
