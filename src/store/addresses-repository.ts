import type { Selectable } from "kysely";
import { insertRecords } from "./bulk/bulk-insert.js";
import { eachInChunks, forEachKeyChunk, inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { AddressesTable, Executor } from "./schema.js";
import { countRows, findRowsByKeys } from "./table-rows.js";
import { insertAliasSearchRows, insertWithSearchIndex } from "./search-index-repository.js";

// Every primary address and alias, keyed by address_key (unique system-wide).

export type AddressRow = Selectable<AddressesTable>;

/** Every address row (primary or alias) whose key is among `keys`. */
export async function findAddressesByKeys(db: Executor, keys: readonly string[]): Promise<AddressRow[]> {
  return findRowsByKeys(db, "addresses", "address_key", keys);
}

/** The owner and kind of each of `keys` that is taken, row by row to `each`. */
export async function eachAddressByKeys(
  db: Executor,
  keys: readonly string[],
  each: (row: Pick<AddressRow, "address_key" | "user_id" | "kind">) => void,
): Promise<void> {
  await eachInChunks(
    keys,
    (chunk) =>
      db
        .selectFrom("addresses")
        .select(["address_key", "user_id", "kind"])
        .where(inKeys(db, "address_key", chunk))
        .execute(),
    each,
  );
}

/** How many aliases each of `userIds` holds (users with none are left out), row by row to `each`. */
export async function eachAliasCountByUserIds(
  db: Executor,
  userIds: readonly string[],
  each: (row: { user_id: string; aliases: number }) => void,
): Promise<void> {
  await eachInChunks(
    userIds,
    (chunk) =>
      db
        .selectFrom("addresses")
        .select((eb) => ["user_id", eb.fn.countAll<number | string | bigint>().as("aliases")])
        .where(inKeys(db, "user_id", chunk))
        .where("kind", "=", "alias")
        .groupBy("user_id")
        .execute(),
    // PostgreSQL's count is a bigint, which pg hands over as text.
    (row) => {
      each({ user_id: row.user_id, aliases: Number(row.aliases) });
    },
  );
}

export async function findAddressesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<AddressRow[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("addresses")
      .selectAll()
      .where(inKeys(db, "user_id", chunk))
      .orderBy("address_key")
      .execute(),
  );
}

/** Every address (primary and alias) of the account, as Sync All plans with them. */
export async function listAccountAddresses(
  db: Executor,
  accountId: string,
): Promise<{ addressKey: string; address: string; userId: string; kind: string }[]> {
  return db
    .selectFrom("addresses")
    .select(["address_key as addressKey", "address", "user_id as userId", "kind"])
    .where("account_id", "=", accountId)
    .execute();
}

/** New address rows, one user's alias or an import's tens of thousands alike. */
export async function insertAddresses(db: Executor, rows: readonly AddressRow[]): Promise<void> {
  const insert = (tx: Executor) =>
    insertRecords(tx, "addresses", ["address_key", "account_id", "user_id", "address", "kind"], rows);
  await insertWithSearchIndex(db, rows.length, insert, (tx) => insertAliasSearchRows(tx, rows));
}

export async function deleteAliases(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("addresses").where("user_id", "=", userId).where("kind", "=", "alias").execute();
}

/** Removes one address of a user (a primary address that moves, an alias it replaces). */
export async function deleteUserAddress(db: Executor, userId: string, addressKey: string): Promise<void> {
  await db
    .deleteFrom("addresses")
    .where("user_id", "=", userId)
    .where("address_key", "=", addressKey)
    .execute();
}

export async function deleteAddressesOfUsers(db: Executor, userIds: readonly string[]): Promise<void> {
  await forEachKeyChunk(userIds, (chunk) =>
    db
      .deleteFrom("addresses")
      .where(inKeys(db, "user_id", chunk))
      .execute(),
  );
}

/** The type of the user holding one address (primary or alias): one primary-key look-up. */
export async function findAddressType(db: Executor, addressKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom("addresses")
    .innerJoin("users", "users.id", "addresses.user_id")
    .select("users.type")
    .where("addresses.address_key", "=", addressKey)
    .executeTakeFirst();
  return row?.type;
}

/** How many addresses (primary and alias) there are in all. */
export async function countAddresses(db: Executor): Promise<number> {
  return countRows(db.selectFrom("addresses"));
}

/** The next `limit` addresses after `afterKey` with their user's type, in key order: the recipient index's load. */
export async function pageAddressTypes(
  db: Executor,
  afterKey: string | undefined,
  limit: number,
): Promise<{ address_key: string; type: string }[]> {
  let query = db
    .selectFrom("addresses")
    .innerJoin("users", "users.id", "addresses.user_id")
    .select(["addresses.address_key", "users.type"]);
  if (afterKey !== undefined) query = query.where("addresses.address_key", ">", afterKey);
  return query.orderBy("addresses.address_key").limit(limit).execute();
}

/** Every address (primary and alias) with the type of the user holding it. */
export async function listAddressTypes(db: Executor): Promise<{ address_key: string; type: string }[]> {
  return db
    .selectFrom("addresses")
    .innerJoin("users", "users.id", "addresses.user_id")
    .select(["addresses.address_key", "users.type"])
    .execute();
}
