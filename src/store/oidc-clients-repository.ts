import type { Selectable } from "kysely";
import type { Executor, OidcClientsTable } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type OidcClientRow = Selectable<OidcClientsTable>;

export async function insertOidcClient(db: Executor, row: OidcClientRow): Promise<void> {
  await db.insertInto("oidc_clients").values(row).execute();
}

export async function findOidcClientById(db: Executor, id: string): Promise<OidcClientRow | undefined> {
  return findRowByKey(db, "oidc_clients", "id", id);
}

/** A page of the clients of some accounts, by id (time-ordered): keyset after `afterId`. */
export async function pageOidcClients(
  db: Executor,
  accountIds: readonly string[] | "all",
  page: { afterId?: string | undefined; limit: number },
): Promise<OidcClientRow[]> {
  let query = db.selectFrom("oidc_clients").selectAll();
  if (accountIds !== "all") {
    if (accountIds.length === 0) return [];
    query = query.where("account_id", "in", accountIds);
  }
  if (page.afterId !== undefined) query = query.where("id", ">", page.afterId);
  return query.orderBy("id").limit(page.limit).execute();
}

export async function deleteOidcClient(db: Executor, id: string): Promise<void> {
  await db.deleteFrom("oidc_clients").where("id", "=", id).execute();
}
