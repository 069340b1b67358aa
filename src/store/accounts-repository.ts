import { sql, type Selectable } from "kysely";
import type { Executor, AccountsTable } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type AccountRow = Selectable<AccountsTable>;

export async function insertAccount(db: Executor, row: AccountRow): Promise<void> {
  await db.insertInto("accounts").values(row).execute();
}

export async function findAccountByCodeKey(db: Executor, codeKey: string): Promise<AccountRow | undefined> {
  return findRowByKey(db, "accounts", "code_key", codeKey);
}

export async function findAccountById(db: Executor, id: string): Promise<AccountRow | undefined> {
  return findRowByKey(db, "accounts", "id", id);
}

export async function listAccounts(db: Executor): Promise<AccountRow[]> {
  return db.selectFrom("accounts").selectAll().orderBy("created_at").orderBy("code_key").execute();
}

export async function updateAccountKind(db: Executor, id: string, kind: string): Promise<void> {
  await db.updateTable("accounts").set({ kind }).where("id", "=", id).execute();
}

/** An account as the tree sees it (structurally the directory's AccountLink). */
export interface AccountLinkRow {
  id: string;
  parentId: string | null;
}

/**
 * The account and its ancestors, nearest first, at most `maxDepth` steps up: one recursive query. The depth
 * column bounds the recursion, so a cycle written by hand ends too (the pure walk then sees the repeat).
 */
export async function listAccountAncestry(
  db: Executor,
  accountId: string,
  maxDepth: number,
): Promise<AccountLinkRow[]> {
  const rows = await db
    .withRecursive("chain(id, parent_id, depth)", (qb) =>
      qb
        .selectFrom("accounts")
        .select(["id", "parent_id", sql<number>`0`.as("depth")])
        .where("id", "=", accountId)
        .unionAll((union) =>
          union
            .selectFrom("accounts")
            .innerJoin("chain", "chain.parent_id", "accounts.id")
            .select(["accounts.id", "accounts.parent_id", sql<number>`chain.depth + 1`.as("depth")])
            .where("chain.depth", "<", maxDepth),
        ),
    )
    .selectFrom("chain")
    .select(["id", "parent_id", "depth"])
    .orderBy("depth")
    .execute();
  return rows.map((row) => ({ id: row.id, parentId: row.parent_id }));
}

/** Every account's place in the tree (accounts are few: tenants, not users). */
export async function listAccountLinks(db: Executor): Promise<AccountLinkRow[]> {
  const rows = await db.selectFrom("accounts").select(["id", "parent_id"]).orderBy("id").execute();
  return rows.map((row) => ({ id: row.id, parentId: row.parent_id }));
}
