import {
  sql,
  type Expression,
  type RawBuilder,
  type Selectable,
  type SqlBool,
  type Updateable,
} from "kysely";
import { inParameterBatches, insertRecords } from "./bulk/bulk-insert.js";
import { forEachKeyChunk, inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { Executor, UsersTable } from "./schema.js";
import { containsPattern } from "./like-pattern.js";
import { findRowsByKeys, offsetPage } from "./table-rows.js";
import { insertUserSearchRows, insertWithSearchIndex } from "./search-index-repository.js";

// The users table: one row per user, keyed by id, its primary address unique through email_key.

export type UserRow = Selectable<UsersTable>;

export async function insertUser(db: Executor, row: UserRow): Promise<void> {
  await db.insertInto("users").values(row).execute();
}

export async function updateUser(db: Executor, id: string, changes: Updateable<UsersTable>): Promise<void> {
  await db.updateTable("users").set(changes).where("id", "=", id).execute();
}

export async function findUsersByIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
  return findRowsByKeys(db, "users", "id", ids);
}

/** The user whose primary address has this key: who they are and in which account. */
export async function findUserByEmailKey(
  db: Executor,
  emailKey: string,
): Promise<Pick<UserRow, "id" | "account_id"> | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "account_id"])
    .where("email_key", "=", emailKey)
    .executeTakeFirst();
}

export async function listUserIds(db: Executor, accountId?: string): Promise<string[]> {
  let query = db.selectFrom("users").select("id").orderBy("email_key");
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  return (await query.execute()).map((r) => r.id);
}

/** What an import compares and keeps of each existing user (not the timestamps and keys it never reads). */
export type ImportedUserFacts = Pick<
  UserRow,
  | "id"
  | "account_id"
  | "email"
  | "name"
  | "type"
  | "force_change_password"
  | "password_never_expires"
  | "locked"
  | "pop"
  | "submit"
>;

export async function loadUsersByIds(db: Executor, ids: readonly string[]): Promise<ImportedUserFacts[]> {
  return selectInChunks(ids, (chunk) =>
    db
      .selectFrom("users")
      .select([
        "id",
        "account_id",
        "email",
        "name",
        "type",
        "force_change_password",
        "password_never_expires",
        "locked",
        "pop",
        "submit",
      ])
      .where(inKeys(db, "id", chunk))
      .execute(),
  );
}

/** The account's users as Sync All plans with them: ids, keys, names, types; no secrets. */
export async function listAccountUsersForSync(
  db: Executor,
  accountId: string,
): Promise<{ id: string; email: string; emailKey: string; name: string; type: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "email", "email_key as emailKey", "name", "type"])
    .where("account_id", "=", accountId)
    .execute();
}

const USER_COLUMNS = [
  "id",
  "account_id",
  "email",
  "email_key",
  "name",
  "type",
  "password_hash",
  "password_set_at",
  "force_change_password",
  "password_never_expires",
  "locked",
  "pop",
  "submit",
  "created_at",
  "updated_at",
] as const satisfies readonly (keyof UserRow)[];

export async function insertUsersBulk(db: Executor, rows: readonly UserRow[]): Promise<void> {
  const insert = (tx: Executor) => insertRecords(tx, "users", USER_COLUMNS, rows);
  await insertWithSearchIndex(db, rows.length, insert, (tx) => insertUserSearchRows(tx, rows));
}

/** A change to one user: null leaves the column as it is. */
export interface UserPatch {
  readonly id: string;
  readonly name: string | null;
  readonly type: string | null;
  readonly password_hash: string | null;
  readonly password_set_at: string | null;
  readonly force_change_password: number | null;
  readonly password_never_expires: number | null;
  readonly locked: number | null;
  readonly pop: number | null;
  readonly submit: number | null;
  readonly updated_at: string;
}

/**
 * Updates many users with one statement per batch: a VALUES list joined by id (UPDATE ... FROM, which
 * SQLite has since 3.33 and PostgreSQL always had). Null in a patch keeps the stored value.
 */
export async function updateUsersBulk(db: Executor, patches: readonly UserPatch[]): Promise<void> {
  const int = (value: number | null) => sql`cast(${value} as integer)`;
  await inParameterBatches(patches, 11, async (batch) => {
    const values = sql.join(
      batch.map(
        (p) =>
          sql`(${p.id}, ${p.name}, ${p.type}, ${p.password_hash}, ${p.password_set_at}, ${int(p.force_change_password)}, ${int(p.password_never_expires)}, ${int(p.locked)}, ${int(p.pop)}, ${int(p.submit)}, ${p.updated_at})`,
      ),
    );
    await sql`with v(id, name, type, password_hash, password_set_at, fcp, pne, locked, pop, submit, updated_at) as (values ${values})
      update users set
        name = coalesce(v.name, users.name),
        type = coalesce(v.type, users.type),
        password_hash = coalesce(v.password_hash, users.password_hash),
        password_set_at = coalesce(v.password_set_at, users.password_set_at),
        force_change_password = coalesce(v.fcp, users.force_change_password),
        password_never_expires = coalesce(v.pne, users.password_never_expires),
        locked = coalesce(v.locked, users.locked),
        pop = coalesce(v.pop, users.pop),
        submit = coalesce(v.submit, users.submit),
        updated_at = v.updated_at
      from v where users.id = v.id`.execute(db);
  });
}

/** Sets many users' name, primary address and type: a VALUES list joined by id, one statement per batch. */
export async function updateUserIdentitiesBulk(
  db: Executor,
  rows: readonly Pick<UserRow, "id" | "name" | "email" | "email_key" | "type" | "updated_at">[],
): Promise<void> {
  await inParameterBatches(rows, 6, async (batch) => {
    const values = sql.join(
      batch.map((u) => sql`(${u.id}, ${u.name}, ${u.email}, ${u.email_key}, ${u.type}, ${u.updated_at})`),
    );
    await sql`with v(id, name, email, email_key, type, updated_at) as (values ${values})
      update users set name = v.name, email = v.email, email_key = v.email_key, type = v.type,
        updated_at = v.updated_at
      from v where users.id = v.id`.execute(db);
  });
}

/** Deletes users; their addresses, mappings, attributes, notes and memberships go with them (ON DELETE CASCADE). */
export async function deleteUsers(db: Executor, userIds: readonly string[]): Promise<void> {
  await forEachKeyChunk(userIds, (chunk) =>
    db
      .deleteFrom("users")
      .where(inKeys(db, "id", chunk))
      .execute(),
  );
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

/** One page of user ids matching the search, ordered by primary address, and how many match in all. */
export async function searchUserIds(
  db: Executor,
  search: UserSearch,
): Promise<{ ids: string[]; total: number }> {
  const pattern = containsPattern(search.text);
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
  const { rows, total } = await offsetPage(filtered, search, (q) =>
    q.select("users.id").orderBy("users.email_key"),
  );
  return { ids: rows.map((r) => r.id), total };
}

/** One page of the accounts' user ids by primary address, and how many there are (SCIM lists without a filter). */
export async function pageUserIdsInAccounts(
  db: Executor,
  accountIds: readonly string[],
  page: { offset: number; limit: number },
): Promise<{ ids: string[]; total: number }> {
  if (accountIds.length === 0) return { ids: [], total: 0 };
  const base = db.selectFrom("users").where("account_id", "in", [...accountIds]);
  const { rows, total } = await offsetPage(base, page, (q) => q.select("id").orderBy("email_key"));
  return { ids: rows.map((r) => r.id), total };
}

/** The next user ids of the accounts after `afterKey` (an email_key), in address order: a keyset scan. */
export async function listUserIdsAfter(
  db: Executor,
  accountIds: readonly string[],
  afterKey: string | undefined,
  limit: number,
): Promise<{ id: string; email_key: string }[]> {
  if (accountIds.length === 0) return [];
  let query = db
    .selectFrom("users")
    .select(["id", "email_key"])
    .where("account_id", "in", [...accountIds]);
  if (afterKey !== undefined) query = query.where("email_key", ">", afterKey);
  return query.orderBy("email_key").limit(limit).execute();
}

/** Changes a user's primary address (the addresses row is the caller's to move). */
export async function updateUserEmail(
  db: Executor,
  id: string,
  email: { address: string; key: string },
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable("users")
    .set({ email: email.address, email_key: email.key, updated_at: updatedAt })
    .where("id", "=", id)
    .execute();
}

/** The next `limit` users after `afterKey` (an email_key), of one account or all, in address order: a keyset scan. */
export async function listUserKeysAfter(
  db: Executor,
  accountId: string | undefined,
  afterKey: string | undefined,
  limit: number,
): Promise<{ id: string; email_key: string }[]> {
  let query = db.selectFrom("users").select(["id", "email_key"]);
  if (accountId !== undefined) query = query.where("account_id", "=", accountId);
  if (afterKey !== undefined) query = query.where("email_key", ">", afterKey);
  return query.orderBy("email_key").limit(limit).execute();
}
