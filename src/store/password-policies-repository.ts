import type { Selectable } from "kysely";
import type { Executor, PasswordPoliciesTable } from "./schema.js";

export type PasswordPolicyRow = Selectable<PasswordPoliciesTable>;

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
