import type { Selectable } from "kysely";
import type { Executor, ScimActivityTable } from "./schema.js";

// scim_activity: the SCIM requests that changed something or were refused, newest last by id (uuid v7).

export type ScimActivityRow = Selectable<ScimActivityTable>;

export async function insertScimActivity(db: Executor, row: ScimActivityRow): Promise<void> {
  await db.insertInto("scim_activity").values(row).execute();
}

/** One page of the accounts' activity, newest first, from a keyset (`before`: an id of the previous page). */
export async function pageScimActivity(
  db: Executor,
  filter: { accountIds: readonly string[]; before?: string | undefined; errorsOnly: boolean; limit: number },
): Promise<ScimActivityRow[]> {
  if (filter.accountIds.length === 0) return [];
  let query = db
    .selectFrom("scim_activity")
    .selectAll()
    .where("account_id", "in", [...filter.accountIds]);
  if (filter.before !== undefined) query = query.where("id", "<", filter.before);
  if (filter.errorsOnly) query = query.where("status", ">=", 400);
  return query.orderBy("id", "desc").limit(filter.limit).execute();
}

/** Keeps the account's newest `keep` rows: the log is for recent activity, and must not grow without bound. */
export async function pruneScimActivity(db: Executor, accountId: string, keep: number): Promise<void> {
  const edge = await db
    .selectFrom("scim_activity")
    .select("id")
    .where("account_id", "=", accountId)
    .orderBy("id", "desc")
    .offset(keep)
    .limit(1)
    .executeTakeFirst();
  if (!edge) return;
  await db
    .deleteFrom("scim_activity")
    .where("account_id", "=", accountId)
    .where("id", "<=", edge.id)
    .execute();
}
