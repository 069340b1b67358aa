import { sql, type Selectable, type Updateable } from "kysely";
import { inParameterBatches, insertRecords } from "./bulk/bulk-insert.js";
import { forEachKeyChunk, inKeys } from "./bulk/chunked-keys.js";
import type { ConnectorUsersTable, ConnectorsTable, Executor } from "./schema.js";
import { countRows } from "./table-rows.js";

export type ConnectorRow = Selectable<ConnectorsTable>;
export type ConnectorUserRow = Selectable<ConnectorUsersTable>;

export async function insertConnector(db: Executor, row: ConnectorRow): Promise<void> {
  await db.insertInto("connectors").values(row).execute();
}

export async function findConnectorByNameKey(
  db: Executor,
  accountId: string,
  nameKey: string,
): Promise<ConnectorRow | undefined> {
  return db
    .selectFrom("connectors")
    .selectAll()
    .where("account_id", "=", accountId)
    .where("name_key", "=", nameKey)
    .executeTakeFirst();
}

/** Changes a connector's settings (its id, account and kind stay). */
export async function updateConnector(
  db: Executor,
  id: string,
  changes: Omit<Updateable<ConnectorsTable>, "id" | "account_id" | "kind">,
): Promise<void> {
  await db.updateTable("connectors").set(changes).where("id", "=", id).execute();
}

/**
 * Deletes a connector and its (connector, immutable id) joins; returns how many joins went. The users stay:
 * no connector maps them any more.
 */
export async function deleteConnector(db: Executor, id: string): Promise<number> {
  const joins = await db.deleteFrom("connector_users").where("connector_id", "=", id).executeTakeFirst();
  await db.deleteFrom("connectors").where("id", "=", id).execute();
  return Number(joins.numDeletedRows);
}

export async function countConnectors(db: Executor, accountId: string): Promise<number> {
  return countRows(db.selectFrom("connectors").where("account_id", "=", accountId));
}

/** The accounts that have at least one connector (the scheduler syncs each). */
export async function listAccountIdsWithConnectors(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom("connectors")
    .select("account_id")
    .distinct()
    .orderBy("account_id")
    .execute();
  return rows.map((r) => r.account_id);
}

export async function listConnectors(db: Executor, accountId?: string): Promise<ConnectorRow[]> {
  let query = db.selectFrom("connectors").selectAll().orderBy("account_id").orderBy("name_key");
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  return query.execute();
}

/** The account's (connector, immutable id) -> user joins, in the shape Sync All's planner reads. */
export async function listConnectorMappings(
  db: Executor,
  accountId: string,
): Promise<
  { connectorId: string; externalId: string; userId: string; dn: string; missingSince: string | null }[]
> {
  return db
    .selectFrom("connector_users")
    .select([
      "connector_id as connectorId",
      "external_id as externalId",
      "user_id as userId",
      "dn",
      "missing_since as missingSince",
    ])
    .where("account_id", "=", accountId)
    .execute();
}

export async function insertConnectorUsers(db: Executor, rows: readonly ConnectorUserRow[]): Promise<void> {
  await insertRecords(
    db,
    "connector_users",
    ["connector_id", "external_id", "account_id", "user_id", "dn", "missing_since"],
    rows,
  );
}

/** Sets missing_since on (or clears it from) the mapping rows of one connector, in chunks of ids. */
export async function setMissingSince(
  db: Executor,
  connectorId: string,
  externalIds: readonly string[],
  missingSince: string | null,
): Promise<void> {
  await forEachKeyChunk(externalIds, (chunk) =>
    db
      .updateTable("connector_users")
      .set({ missing_since: missingSince })
      .where("connector_id", "=", connectorId)
      .where(inKeys(db, "external_id", chunk))
      .execute(),
  );
}

/** New DNs of mapped entries (a rename or a move in the directory), a VALUES list joined per statement. */
export async function updateConnectorUserDns(
  db: Executor,
  rows: readonly { connectorId: string; externalId: string; dn: string }[],
): Promise<void> {
  await inParameterBatches(rows, 3, async (batch) => {
    const values = sql.join(batch.map((r) => sql`(${r.connectorId}, ${r.externalId}, ${r.dn})`));
    await sql`with v(connector_id, external_id, dn) as (values ${values})
      update connector_users set dn = v.dn
      from v where connector_users.connector_id = v.connector_id
        and connector_users.external_id = v.external_id`.execute(db);
  });
}
