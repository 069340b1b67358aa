import {
  sql,
  type Expression,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  type Updateable,
} from "kysely";
import type {
  AddressesTable,
  AttributeDefinitionsTable,
  Executor,
  NotesTable,
  PasswordHistoryTable,
  UsersTable,
} from "./schema.js";

export type UserRow = Selectable<UsersTable>;
export type AddressRow = Selectable<AddressesTable>;
export type AttributeDefinitionRow = Selectable<AttributeDefinitionsTable>;
export type NoteRow = Selectable<NotesTable>;
export type PasswordHistoryRow = Selectable<PasswordHistoryTable>;

// SQLite binds at most 32766 parameters per statement; look-ups of many keys go in chunks.
const CHUNK = 500;

async function selectInChunks<T>(
  keys: readonly string[],
  select: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await select(keys.slice(i, i + CHUNK))));
  return out;
}

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto("users").values(row).execute();
}

export async function updateUser(db: Executor, id: string, changes: Updateable<UsersTable>): Promise<void> {
  await db.updateTable("users").set(changes).where("id", "=", id).execute();
}

export async function findUsersByIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
  return selectInChunks(ids, (chunk) =>
    db.selectFrom("users").selectAll().where("id", "in", chunk).execute(),
  );
}

export async function listUserIds(db: Executor, accountId?: string): Promise<string[]> {
  let query = db.selectFrom("users").select("id").orderBy("email_key");
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  return (await query.execute()).map((r) => r.id);
}

/** Every address row (primary or alias) whose key is among `keys`. */
export async function findAddressesByKeys(db: Executor, keys: readonly string[]): Promise<AddressRow[]> {
  return selectInChunks(keys, (chunk) =>
    db.selectFrom("addresses").selectAll().where("address_key", "in", chunk).execute(),
  );
}

export async function findAddressesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<AddressRow[]> {
  return selectInChunks(userIds, (chunk) =>
    db.selectFrom("addresses").selectAll().where("user_id", "in", chunk).orderBy("address_key").execute(),
  );
}

export async function insertAddresses(db: Executor, rows: readonly AddressRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto("addresses")
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

export async function deleteAliases(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("addresses").where("user_id", "=", userId).where("kind", "=", "alias").execute();
}

export async function findAttributeDefinitions(
  db: Executor,
  accountId: string,
): Promise<AttributeDefinitionRow[]> {
  return db.selectFrom("attribute_definitions").selectAll().where("account_id", "=", accountId).execute();
}

export async function insertAttributeDefinition(db: Executor, row: AttributeDefinitionRow): Promise<void> {
  await db.insertInto("attribute_definitions").values(row).execute();
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

export async function findAttributeValuesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; name: string; value: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("attribute_values")
      .innerJoin("attribute_definitions", "attribute_definitions.id", "attribute_values.definition_id")
      .select(["attribute_values.user_id", "attribute_definitions.name", "attribute_values.value"])
      .where("attribute_values.user_id", "in", chunk)
      .orderBy("attribute_definitions.name_key")
      .execute(),
  );
}

export async function insertNote(db: Executor, row: NoteRow): Promise<void> {
  await db.insertInto("notes").values(row).execute();
}

export async function findNotesByUserIds(db: Executor, userIds: readonly string[]): Promise<NoteRow[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("notes")
      .selectAll()
      .where("user_id", "in", chunk)
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  );
}

export async function findRolesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; role: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db.selectFrom("role_assignments").select(["user_id", "role"]).where("user_id", "in", chunk).execute(),
  );
}

export async function insertRoleAssignment(
  db: Executor,
  row: { account_id: string; user_id: string; role: string },
): Promise<void> {
  await db
    .insertInto("role_assignments")
    .values(row)
    .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
    .execute();
}

export async function findGroupPathsByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; path: string }[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("group_members")
      .innerJoin("profile_groups", "profile_groups.id", "group_members.group_id")
      .select(["group_members.user_id", "profile_groups.path"])
      .where("group_members.user_id", "in", chunk)
      .orderBy("profile_groups.path_key")
      .execute(),
  );
}

export async function insertPasswordHistory(db: Executor, row: PasswordHistoryRow): Promise<void> {
  await db.insertInto("password_history").values(row).execute();
}

export async function findRecentPasswordHashes(
  db: Executor,
  userId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom("password_history")
    .select("password_hash")
    .where("user_id", "=", userId)
    .orderBy("set_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => r.password_hash);
}

export type UserSearchField = "any" | "address" | "alias" | "name" | "attribute";

export interface UserSearch {
  readonly accountId: string;
  /** Lower-cased text matched anywhere in the chosen field(s). */
  readonly text: string;
  readonly field: UserSearchField;
  /** With field "attribute": only this attribute's values (its name key). */
  readonly attributeKey?: string | undefined;
  readonly offset: number;
  readonly limit: number;
}

/** `%`, `_` and `\` in the searched text match themselves; the same escape works on SQLite and PostgreSQL. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of user ids matching the search, ordered by primary address, and how many match in all. */
export async function searchUserIds(
  db: Executor,
  search: UserSearch,
): Promise<{ ids: string[]; total: number }> {
  const pattern = likePattern(search.text);
  const like = (column: ReturnType<typeof sql.ref>): RawBuilder<boolean> =>
    sql<boolean>`lower(${column}) like ${pattern} escape '\\'`;
  const base = db.selectFrom("users").where("users.account_id", "=", search.accountId);
  const filtered =
    search.text === "" && search.field !== "attribute"
      ? base
      : base.where((eb) => {
          const addressOf = (kind: "primary" | "alias"): Expression<SqlBool> =>
            eb.exists(
              eb
                .selectFrom("addresses")
                .select("addresses.user_id")
                .whereRef("addresses.user_id", "=", "users.id")
                .where("addresses.kind", "=", kind)
                .where(like(sql.ref("addresses.address_key"))),
            );
          let attributeQuery = eb
            .selectFrom("attribute_values")
            .innerJoin("attribute_definitions", "attribute_definitions.id", "attribute_values.definition_id")
            .select("attribute_values.user_id")
            .whereRef("attribute_values.user_id", "=", "users.id")
            .where(like(sql.ref("attribute_values.value")));
          if (search.attributeKey !== undefined) {
            attributeQuery = attributeQuery.where("attribute_definitions.name_key", "=", search.attributeKey);
          }
          const attribute = eb.exists(attributeQuery);
          switch (search.field) {
            case "address":
              return addressOf("primary");
            case "alias":
              return addressOf("alias");
            case "name":
              return like(sql.ref("users.name"));
            case "attribute":
              return attribute;
            case "any":
              return eb.or([
                addressOf("primary"),
                addressOf("alias"),
                like(sql.ref("users.name")),
                attribute,
              ]);
          }
        });
  const counted = await filtered
    .select((eb) => eb.fn.countAll<number | string>().as("total"))
    .executeTakeFirst();
  const rows = await filtered
    .select("users.id")
    .orderBy("users.email_key")
    .offset(search.offset)
    .limit(search.limit)
    .execute();
  return { ids: rows.map((r) => r.id), total: Number(counted?.total ?? 0) };
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
