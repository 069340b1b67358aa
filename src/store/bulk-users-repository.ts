import { CompiledQuery, PostgresAdapter, sql, type RawBuilder, type SqlBool } from "kysely";
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
const LOOKUP_CHUNK = 20_000;

/**
 * `column` is one of `keys`, as one bound parameter: a JSON array unpacked by `json_each` on SQLite, a text
 * array on PostgreSQL. An IN list of thousands of parameters costs a query-builder node per key and a large
 * statement to parse and plan, for every chunk.
 */
function inKeys(db: Executor, column: string, keys: readonly string[]): RawBuilder<SqlBool> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql<SqlBool>`${sql.ref(column)} = any(${keys}::text[])`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(keys)}))`;
}

async function inChunks<T>(keys: readonly string[], select: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  await eachInChunks(keys, select, (row) => out.push(row));
  return out;
}

/** Hands each row to `each` a chunk at a time, so a caller folding rows into maps never holds them all. */
async function eachInChunks<T>(
  keys: readonly string[],
  select: (chunk: string[]) => Promise<T[]>,
  each: (row: T) => void,
): Promise<void> {
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    for (const row of await select(keys.slice(i, i + LOOKUP_CHUNK))) each(row);
  }
}

async function insertInBatches<T extends object>(
  rows: readonly T[],
  columns: number,
  insert: (batch: T[]) => Promise<unknown>,
): Promise<void> {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

type Rows = readonly (readonly (string | number | null)[])[];

/**
 * A bulk INSERT written directly as SQL text: for hundreds of thousands of rows, building them through the
 * query builder (an object tree per value, then compiling it) costs more than the database's own work.
 * Table and column names come from repository code only, never from input.
 */
export async function insertRows(
  db: Executor,
  table: string,
  columns: readonly string[],
  rows: Rows,
  conflict = "",
): Promise<void> {
  const insert = db.getExecutor().adapter instanceof PostgresAdapter ? unnestInsert : jsonInsert;
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    await db.executeQuery(insert(table, columns, rows.slice(start, start + INSERT_BATCH), conflict));
  }
}

const INSERT_BATCH = 20_000;

/**
 * SQLite: the batch as one JSON array of row arrays in a single parameter, unpacked by `json_each`. A
 * VALUES list with a parameter per value makes SQLite parse and plan a statement of thousands of
 * placeholders per batch, which measured 40% slower than this; the statement text here never changes.
 */
function jsonInsert(table: string, columns: readonly string[], batch: Rows, conflict: string): CompiledQuery {
  // `where true` tells SQLite that a following ON CONFLICT is the upsert clause, not a join constraint.
  const text =
    `insert into ${table} (${columns.join(", ")}) select ` +
    columns.map((_, i) => `value ->> ${i}`).join(", ") +
    ` from json_each(?) where true${conflict}`;
  return CompiledQuery.raw(text, [JSON.stringify(batch)]);
}

/**
 * PostgreSQL: one array parameter per column and `unnest`, instead of a VALUES list with a parameter per
 * value: the bind message and the plan stay small however many rows a batch holds. Every number we store
 * is a whole 0/1 or count, hence integer[].
 */
function unnestInsert(
  table: string,
  columns: readonly string[],
  batch: Rows,
  conflict: string,
): CompiledQuery {
  const arrays = columns.map((_, c) => batch.map((row) => row[c] ?? null));
  const types = arrays.map((values) => (values.some((v) => typeof v === "number") ? "integer[]" : "text[]"));
  const text =
    `insert into ${table} (${columns.join(", ")}) select * from unnest(` +
    types.map((type, i) => `$${i + 1}::${type}`).join(", ") +
    `)${conflict}`;
  return CompiledQuery.raw(text, arrays);
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

/** What an import compares and keeps of each existing user (not the timestamps and keys it never reads). */
export type ImportedUserFacts = Pick<
  UserRow,
  | "id"
  | "account_id"
  | "email"
  | "name"
  | "type"
  | "password_hash"
  | "force_change_password"
  | "password_never_expires"
  | "locked"
  | "pop"
  | "submit"
>;

export async function loadUsersByIds(db: Executor, ids: readonly string[]): Promise<ImportedUserFacts[]> {
  return inChunks(ids, (chunk) =>
    db
      .selectFrom("users")
      .select([
        "id",
        "account_id",
        "email",
        "name",
        "type",
        "password_hash",
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

export async function loadRolesByUserIds(
  db: Executor,
  userIds: readonly string[],
): Promise<{ user_id: string; role: string }[]> {
  return inChunks(userIds, (chunk) =>
    db
      .selectFrom("role_assignments")
      .select(["user_id", "role"])
      .where(inKeys(db, "user_id", chunk))
      .execute(),
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
  await insertRows(
    db,
    "users",
    USER_COLUMNS,
    rows.map((u) => USER_COLUMNS.map((c) => u[c])),
  );
}

export async function insertAddressesBulk(db: Executor, rows: readonly AddressRow[]): Promise<void> {
  await insertRows(
    db,
    "addresses",
    ["address_key", "account_id", "user_id", "address", "kind"],
    rows.map((a) => [a.address_key, a.account_id, a.user_id, a.address, a.kind]),
  );
}

export async function insertAttributeDefinitionsBulk(
  db: Executor,
  rows: readonly AttributeDefinitionRow[],
): Promise<void> {
  await insertInBatches(rows, 4, (batch) => db.insertInto("attribute_definitions").values(batch).execute());
}

export interface AttributeValueRow {
  readonly account_id: string;
  readonly user_id: string;
  readonly definition_id: string;
  readonly value: string;
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

export async function insertNotesBulk(db: Executor, rows: readonly NoteRow[]): Promise<void> {
  await insertRows(
    db,
    "notes",
    ["id", "account_id", "user_id", "address", "text", "author", "created_at"],
    rows.map((n) => [n.id, n.account_id, n.user_id, n.address, n.text, n.author, n.created_at]),
  );
}

export async function insertPasswordHistoryBulk(
  db: Executor,
  rows: readonly PasswordHistoryRow[],
): Promise<void> {
  await insertRows(
    db,
    "password_history",
    ["id", "account_id", "user_id", "password_hash", "set_at"],
    rows.map((h) => [h.id, h.account_id, h.user_id, h.password_hash, h.set_at]),
  );
}

export async function insertRoleAssignmentsBulk(
  db: Executor,
  rows: readonly { account_id: string; user_id: string; role: string }[],
): Promise<void> {
  await insertRows(
    db,
    "role_assignments",
    ["account_id", "user_id", "role"],
    rows.map((r) => [r.account_id, r.user_id, r.role]),
    " on conflict (user_id, role) do nothing",
  );
}

export async function insertGroupMembersBulk(
  db: Executor,
  rows: readonly { account_id: string; group_id: string; user_id: string }[],
): Promise<void> {
  await insertRows(
    db,
    "group_members",
    ["account_id", "group_id", "user_id"],
    rows.map((m) => [m.account_id, m.group_id, m.user_id]),
    " on conflict (group_id, user_id) do nothing",
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
      .where(inKeys(db, "user_id", userIds.slice(i, i + LOOKUP_CHUNK)))
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
