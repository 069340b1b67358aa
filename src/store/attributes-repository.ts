import type { Selectable } from "kysely";
import { insertRows } from "./bulk/bulk-insert.js";
import { eachInChunks, inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { AttributeDefinitionsTable, Executor } from "./schema.js";

// The account's attribute names (attribute_definitions) and each user's values (attribute_values).

export type AttributeDefinitionRow = Selectable<AttributeDefinitionsTable>;

export async function findAttributeDefinitions(
  db: Executor,
  accountId: string,
): Promise<AttributeDefinitionRow[]> {
  return db.selectFrom("attribute_definitions").selectAll().where("account_id", "=", accountId).execute();
}

/** The attribute definitions of several accounts (an import's account and those nested under it). */
export async function findAttributeDefinitionsOfAccounts(
  db: Executor,
  accountIds: readonly string[],
): Promise<AttributeDefinitionRow[]> {
  return selectInChunks(accountIds, (chunk) =>
    db
      .selectFrom("attribute_definitions")
      .selectAll()
      .where(inKeys(db, "account_id", chunk))
      .execute(),
  );
}

export async function insertAttributeDefinition(db: Executor, row: AttributeDefinitionRow): Promise<void> {
  await db.insertInto("attribute_definitions").values(row).execute();
}

export async function insertAttributeDefinitionsBulk(
  db: Executor,
  rows: readonly AttributeDefinitionRow[],
): Promise<void> {
  await insertRows(
    db,
    "attribute_definitions",
    ["id", "account_id", "name", "name_key"],
    rows.map((d) => [d.id, d.account_id, d.name, d.name_key]),
  );
}

/** Every attribute definition of the account and how many users carry a value for it. */
export async function listAttributeUsage(
  db: Executor,
  accountId: string,
): Promise<{ name: string; users: number | string }[]> {
  return db
    .selectFrom("attribute_definitions")
    .leftJoin("attribute_values", "attribute_values.definition_id", "attribute_definitions.id")
    .select([
      "attribute_definitions.name",
      (eb) => eb.fn.count<number | string>("attribute_values.user_id").as("users"),
    ])
    .where("attribute_definitions.account_id", "=", accountId)
    .groupBy(["attribute_definitions.id", "attribute_definitions.name", "attribute_definitions.name_key"])
    .orderBy("attribute_definitions.name_key")
    .execute();
}

export interface AttributeValueRow {
  readonly account_id: string;
  readonly user_id: string;
  readonly definition_id: string;
  readonly value: string;
}

export async function findAttributeValuesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; name: string; value: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("attribute_values")
      .innerJoin("attribute_definitions", "attribute_definitions.id", "attribute_values.definition_id")
      .select(["attribute_values.user_id", "attribute_definitions.name", "attribute_values.value"])
      .where(inKeys(db, "attribute_values.user_id", chunk))
      .orderBy("attribute_definitions.name_key")
      .execute(),
  );
}

/** Every attribute value of `userIds`, row by row to `each`. */
export async function eachAttributeValueByUserIds(
  db: Executor,
  userIds: readonly string[],
  each: (row: { user_id: string; name_key: string; value: string }) => void,
): Promise<void> {
  await eachInChunks(
    userIds,
    (chunk) =>
      db
        .selectFrom("attribute_values")
        .innerJoin("attribute_definitions", "attribute_definitions.id", "attribute_values.definition_id")
        .select(["attribute_values.user_id", "attribute_definitions.name_key", "attribute_values.value"])
        .where(inKeys(db, "attribute_values.user_id", chunk))
        .execute(),
    each,
  );
}

export async function upsertAttributeValue(
  db: Executor,
  row: { account_id: string; user_id: string; definition_id: string; value: string },
): Promise<void> {
  await db
    .insertInto("attribute_values")
    .values(row)
    .onConflict((oc) => oc.columns(["user_id", "definition_id"]).doUpdateSet({ value: row.value }))
    .execute();
}

export async function deleteAttributeValue(
  db: Executor,
  userId: string,
  definitionId: string,
): Promise<void> {
  await db
    .deleteFrom("attribute_values")
    .where("user_id", "=", userId)
    .where("definition_id", "=", definitionId)
    .execute();
}

/** Values of users this import creates: no stored value can be in the way. */
export async function insertAttributeValuesBulk(
  db: Executor,
  rows: readonly AttributeValueRow[],
): Promise<void> {
  await writeAttributeValues(db, rows, "");
}

/** Values of existing users: each replaces the stored one. */
export async function upsertAttributeValuesBulk(
  db: Executor,
  rows: readonly AttributeValueRow[],
): Promise<void> {
  await writeAttributeValues(
    db,
    rows,
    " on conflict (user_id, definition_id) do update set value = excluded.value",
  );
}

async function writeAttributeValues(
  db: Executor,
  rows: readonly AttributeValueRow[],
  conflict: string,
): Promise<void> {
  await insertRows(
    db,
    "attribute_values",
    ["account_id", "user_id", "definition_id", "value"],
    rows.map((v) => [v.account_id, v.user_id, v.definition_id, v.value]),
    conflict,
  );
}
