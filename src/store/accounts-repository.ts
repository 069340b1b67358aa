import { sql, type Selectable } from "kysely";
import type { Executor, AccountsTable, DomainsTable, PasswordPoliciesTable } from "./schema.js";

export type AccountRow = Selectable<AccountsTable>;
export type DomainRow = Selectable<DomainsTable>;
export type PasswordPolicyRow = Selectable<PasswordPoliciesTable>;

export async function insertAccount(db: Executor, row: AccountRow): Promise<void> {
  await db.insertInto("accounts").values(row).execute();
}

export async function findAccountByCodeKey(db: Executor, codeKey: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("code_key", "=", codeKey).executeTakeFirst();
}

export async function findAccountById(db: Executor, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function listAccounts(db: Executor): Promise<AccountRow[]> {
  return db.selectFrom("accounts").selectAll().orderBy("created_at").orderBy("code_key").execute();
}

export async function updateAccountKind(db: Executor, id: string, kind: string): Promise<void> {
  await db.updateTable("accounts").set({ kind }).where("id", "=", id).execute();
}

export async function insertDomain(db: Executor, row: DomainRow): Promise<void> {
  await db.insertInto("domains").values(row).execute();
}

export async function findDomainByName(db: Executor, name: string): Promise<DomainRow | undefined> {
  return db.selectFrom("domains").selectAll().where("name", "=", name).executeTakeFirst();
}

export async function findDomainsByNames(db: Executor, names: readonly string[]): Promise<DomainRow[]> {
  if (names.length === 0) return [];
  return db
    .selectFrom("domains")
    .selectAll()
    .where("name", "in", [...names])
    .execute();
}

export async function findPasswordPolicyRow(
  db: Executor,
  accountId: string,
): Promise<PasswordPolicyRow | undefined> {
  return db
    .selectFrom("password_policies")
    .selectAll()
    .where("account_id", "=", accountId)
    .executeTakeFirst();
}

export async function upsertPasswordPolicyRow(db: Executor, row: PasswordPolicyRow): Promise<void> {
  const rest: Omit<PasswordPolicyRow, "account_id"> & { account_id?: string } = { ...row };
  delete rest.account_id;
  await db
    .insertInto("password_policies")
    .values(row)
    .onConflict((oc) => oc.column("account_id").doUpdateSet(rest))
    .execute();
}

export async function listDomainsOfAccount(db: Executor, accountId: string): Promise<DomainRow[]> {
  return db.selectFrom("domains").selectAll().where("account_id", "=", accountId).orderBy("name").execute();
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

/** The internal domain names of these accounts. */
export async function listDomainNamesOfAccounts(
  db: Executor,
  accountIds: readonly string[],
): Promise<string[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom("domains")
    .select("name")
    .where("account_id", "in", [...accountIds])
    .execute();
  return rows.map((row) => row.name);
}

/** Escapes LIKE's wildcards and its escape character itself (ESCAPE '\'). */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The domains a new domain could collide with: the same name, each of its `parentNames` exactly, and every
 * subdomain of it (any name ending in `.name`). Names are stored lower-case, so LIKE's case rules (ASCII
 * case-insensitive on SQLite, sensitive on PostgreSQL) agree. The suffix LIKE scans the domains table, which
 * holds one row per internal domain.
 */
export async function findDomainClaims(
  db: Executor,
  name: string,
  parentNames: readonly string[],
): Promise<Pick<DomainRow, "name" | "account_id">[]> {
  return db
    .selectFrom("domains")
    .select(["name", "account_id"])
    .where((eb) =>
      eb.or([
        eb("name", "in", [name, ...parentNames]),
        eb("name", "like", sql<string>`${"%." + escapeLike(name)} escape '\\'`),
      ]),
    )
    .orderBy("name")
    .execute();
}
