import { sql } from "kysely";
import { insertRows } from "./bulk/bulk-insert.js";
import { isPostgres } from "./bulk/dialect.js";
import type { Executor, UsersTable } from "./schema.js";
import { foldSearchText, searchSortKey } from "./search-keys.js";

// The search index's rows for bulk writers (migration 0018): a bulk insert of users or aliases holds the row
// triggers off for its statements and writes the index rows itself, set-based, with keys computed here once per
// row. The keys are the ones the triggers and the queries compute (search-keys.ts; a test holds them equal).

/** Below this many rows an insert leaves the index to the triggers (a console or SCIM write of one user). */
export const BULK_SEARCH_INDEX = 32;

/** What the index keeps of a user. */
export type IndexedUser = Pick<
  UsersTable,
  "id" | "account_id" | "email_key" | "name" | "type" | "locked" | "updated_at"
>;

/** An address as the alias index needs it. */
export interface IndexedAddress {
  readonly address_key: string;
  readonly user_id: string;
  readonly kind: string;
}

/**
 * Runs `write` (bulk inserts into users or addresses) with the search index's insert triggers held off, in a
 * transaction: the caller's, or one of its own when it has none (a setting or a flag set outside a transaction
 * could reach another connection of the pool, or SQLite's reader). The flag is cleared however `write` ends.
 */
async function withSearchTriggersHeld(db: Executor, write: (tx: Executor) => Promise<void>): Promise<void> {
  if (!db.isTransaction) {
    await db.transaction().execute((tx) => withSearchTriggersHeld(tx, write));
    return;
  }
  if (isPostgres(db)) {
    // Local to the transaction: a failed write cannot leave it set for the next user of the connection.
    await sql`select set_config('mailroster.search_bulk', 'on', true)`.execute(db);
    await write(db);
    await sql`select set_config('mailroster.search_bulk', 'off', true)`.execute(db);
    return;
  }
  await sql`select mailroster_hold_search_triggers(1)`.execute(db);
  try {
    await write(db);
  } finally {
    await sql`select mailroster_hold_search_triggers(0)`.execute(db);
  }
}

/**
 * A bulk insert of `count` rows and its index rows: small inserts (a console or SCIM write) leave the index to
 * the triggers; large ones hold them off and write the index set-based (`index`), in one transaction.
 */
export async function insertWithSearchIndex(
  db: Executor,
  count: number,
  insert: (tx: Executor) => Promise<void>,
  index: (tx: Executor) => Promise<void>,
): Promise<void> {
  if (count < BULK_SEARCH_INDEX) {
    await insert(db);
    return;
  }
  await withSearchTriggersHeld(db, async (tx) => {
    await insert(tx);
    await index(tx);
  });
}

/** The index rows of new users (their insert's triggers held off). */
export async function insertUserSearchRows(db: Executor, users: readonly IndexedUser[]): Promise<void> {
  await insertRows(
    db,
    "user_search",
    ["user_id", "account_id", "address_sort", "name_sort", "type", "locked", "updated_at", "doc"],
    users.map((u) => [
      u.id,
      u.account_id,
      searchSortKey(u.email_key),
      searchSortKey(u.name),
      u.type,
      u.locked,
      u.updated_at,
      foldSearchText(`${u.name}\n${u.email_key}`),
    ]),
  );
}

/** The alias index rows of new addresses (their insert's triggers held off). PostgreSQL indexes aliases in place. */
export async function insertAliasSearchRows(
  db: Executor,
  addresses: readonly IndexedAddress[],
): Promise<void> {
  if (isPostgres(db)) return;
  await insertRows(
    db,
    "alias_search",
    ["address_key", "user_id"],
    addresses.filter((a) => a.kind === "alias").map((a) => [a.address_key, a.user_id]),
  );
}
