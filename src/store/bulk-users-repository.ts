import { sql } from "kysely";
import type { Executor } from "./schema.js";
import type {
  AddressRow,
  AttributeDefinitionRow,
  NoteRow,
  PasswordHistoryRow,
  UserRow,
} from "./users-repository.js";

/**
 * Set-based reads and writes for imports of tens of thousands of users: look-ups of many keys in few
 * queries and multi-row inserts and updates, sized to stay under SQLite's 32766 bound parameters per
 * statement (PostgreSQL allows 65535).
 */
const MAX_PARAMS = 12_000;
const LOOKUP_CHUNK = 5_000;

async function inChunks<T>(keys: readonly string[], select: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    for (const row of await select(keys.slice(i, i + LOOKUP_CHUNK))) out.push(row);
  }
  return out;
}

async function insertInBatches<T extends object>(
  rows: readonly T[],
  columns: number,
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function loadAddressesByKeys(db: Executor, keys: readonly string[]): Promise<AddressRow[]> {
  return inChunks(keys, (chunk) =>
    db.selectFrom("addresses").selectAll().where("address_key", "in", chunk).execute(),
  );
}

export async function loadAddressesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<AddressRow[]> {
  return inChunks(userIds, (chunk) =>
    db.selectFrom("addresses").selectAll().where("user_id", "in", chunk).execute(),
  );
}

export async function loadUsersByIds(db: Executor, ids: readonly string[]): Promise<UserRow[]> {
  return inChunks(ids, (chunk) => db.selectFrom("users").selectAll().where("id", "in", chunk).execute());
}

export async function loadAttributeValuesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; name_key: string; value: string }[]> {
  return inChunks(userIds, (chunk) =>
    db
      .selectFrom("attribute_values")
      .innerJoin("attribute_definitions", "attribute_definitions.id", "attribute_values.definition_id")
      .select(["attribute_values.user_id", "attribute_definitions.name_key", "attribute_values.value"])
      .where("attribute_values.user_id", "in", chunk)
      .execute(),
  );
}

export async function loadRolesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; role: string }[]> {
  return inChunks(userIds, (chunk) =>
    db.selectFrom("role_assignments").select(["user_id", "role"]).where("user_id", "in", chunk).execute(),
  );
}

export async function loadGroupMembers(
  db: Executor,
  groupId: string,
): Promise<{ user_id: string; email: string }[]> {
  return db
    .selectFrom("group_members")
    .innerJoin("users", "users.id", "group_members.user_id")
    .select(["group_members.user_id", "users.email"])
    .where("group_members.group_id", "=", groupId)
    .execute();
}

export async function insertUsersBulk(db: Executor, rows: readonly UserRow[]): Promise<void> {
  await insertInBatches(rows, 15, (batch) => db.insertInto("users").values(batch).execute());
}

export async function insertAddressesBulk(db: Executor, rows: readonly AddressRow[]): Promise<void> {
  await insertInBatches(rows, 5, (batch) => db.insertInto("addresses").values(batch).execute());
}

export async function insertAttributeDefinitionsBulk(
  db: Executor,
  rows: readonly AttributeDefinitionRow[],
): Promise<void> {
  await insertInBatches(rows, 4, (batch) => db.insertInto("attribute_definitions").values(batch).execute());
}

export async function upsertAttributeValuesBulk(
  db: Executor,
  rows: readonly { account_id: string; user_id: string; definition_id: string; value: string }[],
): Promise<void> {
  await insertInBatches(rows, 4, (batch) =>
    db
      .insertInto("attribute_values")
      .values(batch)
      .onConflict((oc) =>
        oc.columns(["user_id", "definition_id"]).doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })),
      )
      .execute(),
  );
}

export async function insertNotesBulk(db: Executor, rows: readonly NoteRow[]): Promise<void> {
  await insertInBatches(rows, 7, (batch) => db.insertInto("notes").values(batch).execute());
}

export async function insertPasswordHistoryBulk(
  db: Executor,
  rows: readonly PasswordHistoryRow[],
): Promise<void> {
  await insertInBatches(rows, 5, (batch) => db.insertInto("password_history").values(batch).execute());
}

export async function insertRoleAssignmentsBulk(
  db: Executor,
  rows: readonly { account_id: string; user_id: string; role: string }[],
): Promise<void> {
  await insertInBatches(rows, 3, (batch) =>
    db
      .insertInto("role_assignments")
      .values(batch)
      .onConflict((oc) => oc.columns(["user_id", "role"]).doNothing())
      .execute(),
  );
}

export async function insertGroupMembersBulk(
  db: Executor,
  rows: readonly { account_id: string; group_id: string; user_id: string }[],
): Promise<void> {
  await insertInBatches(rows, 3, (batch) =>
    db
      .insertInto("group_members")
      .values(batch)
      .onConflict((oc) => oc.columns(["group_id", "user_id"]).doNothing())
      .execute(),
  );
}

export async function deleteGroupMembersBulk(
  db: Executor,
  groupId: string,
  userIds: readonly string[],
): Promise<void> {
  for (let i = 0; i < userIds.length; i += LOOKUP_CHUNK) {
    await db
      .deleteFrom("group_members")
      .where("group_id", "=", groupId)
      .where("user_id", "in", userIds.slice(i, i + LOOKUP_CHUNK))
      .execute();
  }
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
  await insertInBatches(patches, 11, async (batch) => {
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
