import type { Selectable } from "kysely";
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
