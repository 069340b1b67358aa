import type { Selectable } from "kysely";
import type { Executor, OidcKeysTable } from "./schema.js";

// The provider's keys: signing keys (the newest unretired one signs, retired ones stay published until
// what they signed has expired) and the key its cookies are signed with. The key material stays sealed.

export type OidcKeyRow = Selectable<OidcKeysTable>;

export async function insertOidcKey(db: Executor, row: OidcKeyRow): Promise<void> {
  await db.insertInto("oidc_keys").values(row).execute();
}

/** The keys of a kind, newest first; a handful at any time (rotations retire and prune). */
export async function listOidcKeys(db: Executor, kind: string): Promise<OidcKeyRow[]> {
  return db
    .selectFrom("oidc_keys")
    .selectAll()
    .where("kind", "=", kind)
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(100)
    .execute();
}

export async function retireOidcKeys(db: Executor, kind: string, at: string): Promise<void> {
  await db
    .updateTable("oidc_keys")
    .set({ retired_at: at })
    .where("kind", "=", kind)
    .where("retired_at", "is", null)
    .execute();
}

/** Removes keys of a kind retired at or before `before`: nothing they signed is still valid. */
export async function deleteOidcKeysRetiredBefore(db: Executor, kind: string, before: string): Promise<void> {
  await db
    .deleteFrom("oidc_keys")
    .where("kind", "=", kind)
    .where("retired_at", "is not", null)
    .where("retired_at", "<=", before)
    .execute();
}
