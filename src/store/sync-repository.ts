import type { Insertable, Selectable } from "kysely";
import type {
  ConnectorUsersTable,
  ConnectorsTable,
  Executor,
  RecipientSettingsTable,
  SyncRunsTable,
  UsersTable,
} from "./schema.js";

export type ConnectorRow = Selectable<ConnectorsTable>;
export type ConnectorUserRow = Selectable<ConnectorUsersTable>;
export type SyncRunRow = Selectable<SyncRunsTable>;
export type RecipientSettingsRow = Selectable<RecipientSettingsTable>;

// SQLite binds at most 32766 parameters per statement: bulk writes and look-ups go in chunks.
const CHUNK = 500;

export async function insertInChunks<T>(
  rows: readonly T[],
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

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

export async function listConnectors(db: Executor, accountId?: string): Promise<ConnectorRow[]> {
  let query = db.selectFrom("connectors").selectAll().orderBy("account_id").orderBy("name_key");
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  return query.execute();
}

export async function listConnectorUsers(db: Executor, accountId: string): Promise<ConnectorUserRow[]> {
  return db.selectFrom("connector_users").selectAll().where("account_id", "=", accountId).execute();
}

export async function insertConnectorUsers(db: Executor, rows: readonly ConnectorUserRow[]): Promise<void> {
  await insertInChunks(rows, (chunk) => db.insertInto("connector_users").values(chunk).execute());
}

/** Sets missing_since on (or clears it from) the mapping rows of one connector, in chunks of ids. */
export async function setMissingSince(
  db: Executor,
  connectorId: string,
  externalIds: readonly string[],
  missingSince: string | null,
): Promise<void> {
  await insertInChunks(externalIds, (chunk) =>
    db
      .updateTable("connector_users")
      .set({ missing_since: missingSince })
      .where("connector_id", "=", connectorId)
      .where("external_id", "in", chunk)
      .execute(),
  );
}

export async function updateConnectorUserDn(
  db: Executor,
  connectorId: string,
  externalId: string,
  dn: string,
): Promise<void> {
  await db
    .updateTable("connector_users")
    .set({ dn })
    .where("connector_id", "=", connectorId)
    .where("external_id", "=", externalId)
    .execute();
}

export async function insertSyncRun(db: Executor, row: Insertable<SyncRunsTable>): Promise<void> {
  await db.insertInto("sync_runs").values(row).execute();
}

export async function listSyncRuns(db: Executor, accountId: string, limit: number): Promise<SyncRunRow[]> {
  return db
    .selectFrom("sync_runs")
    .selectAll()
    .where("account_id", "=", accountId)
    .orderBy("started_at", "desc")
    .limit(limit)
    .execute();
}

/** The account's users as a sync needs them: ids, keys, names, types; no secrets. */
export async function listAccountUsersForSync(
  db: Executor,
  accountId: string,
): Promise<{ id: string; email: string; email_key: string; name: string; type: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "email", "email_key", "name", "type"])
    .where("account_id", "=", accountId)
    .execute();
}

export async function listAccountAddresses(
  db: Executor,
  accountId: string,
): Promise<{ address_key: string; address: string; user_id: string; kind: string }[]> {
  return db
    .selectFrom("addresses")
    .select(["address_key", "address", "user_id", "kind"])
    .where("account_id", "=", accountId)
    .execute();
}

/** Address keys among `keys` that exist anywhere (any account): new addresses must be free system-wide. */
export async function findTakenAddressKeys(db: Executor, keys: readonly string[]): Promise<Set<string>> {
  const taken = new Set<string>();
  await insertInChunks(keys, async (chunk) => {
    const rows = await db
      .selectFrom("addresses")
      .select("address_key")
      .where("address_key", "in", chunk)
      .execute();
    for (const row of rows) taken.add(row.address_key);
  });
  return taken;
}

export async function deleteAddressesOfUsers(db: Executor, userIds: readonly string[]): Promise<void> {
  await insertInChunks(userIds, (chunk) =>
    db.deleteFrom("addresses").where("user_id", "in", chunk).execute(),
  );
}

/** Deletes users; their addresses, mappings, attributes, notes and memberships go with them (ON DELETE CASCADE). */
export async function deleteUsers(db: Executor, userIds: readonly string[]): Promise<void> {
  await insertInChunks(userIds, (chunk) => db.deleteFrom("users").where("id", "in", chunk).execute());
}

export async function findRecipientSettings(
  db: Executor,
  accountId: string,
): Promise<RecipientSettingsRow | undefined> {
  return db
    .selectFrom("recipient_settings")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export async function upsertRecipientSettings(db: Executor, row: RecipientSettingsRow): Promise<void> {
  await db
    .insertInto("recipient_settings")
    .values(row)
    .onConflict((oc) =>
      oc.column("account_id").doUpdateSet({ unknown_action: row.unknown_action, updated_at: row.updated_at }),
    )
    .execute();
}

export async function readDirectoryVersion(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("directory_version")
    .select("version")
    .where("id", "=", 1)
    .executeTakeFirst();
  return row?.version ?? 0;
}

export async function listDomainNamesOfAccount(db: Executor, accountId: string): Promise<string[]> {
  return (await db.selectFrom("domains").select("name").where("account_id", "=", accountId).execute()).map(
    (d) => d.name,
  );
}

/** Bulk insert of new users (Sync All creates tens of thousands at once). */
export async function insertUsers(db: Executor, rows: readonly Selectable<UsersTable>[]): Promise<void> {
  await insertInChunks(rows, (chunk) => db.insertInto("users").values(chunk).execute());
}
