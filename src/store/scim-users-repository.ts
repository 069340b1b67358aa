import type { Selectable } from "kysely";
import type { Executor, ScimUsersTable } from "./schema.js";
import { findRowsByKeys } from "./table-rows.js";

// scim_users: the SCIM client's externalId of each user it provisioned, keyed by user id.

export type ScimUserRow = Selectable<ScimUsersTable>;

export async function findScimUsersByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<ScimUserRow[]> {
  return findRowsByKeys(db, "scim_users", "user_id", userIds);
}

/** Users of these accounts with this externalId (compared exactly: externalId is caseExact). */
export async function findUserIdsByExternalId(
  db: Executor,
  accountIds: readonly string[],
  externalId: string,
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom("scim_users")
    .select("user_id")
    .where("account_id", "in", [...accountIds])
    .where("external_id", "=", externalId)
    .limit(1000)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Sets the externalId (null clears it); the token is kept from the first write. */
export async function upsertScimUser(db: Executor, row: ScimUserRow): Promise<void> {
  await db
    .insertInto("scim_users")
    .values(row)
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ external_id: row.external_id }))
    .execute();
}
