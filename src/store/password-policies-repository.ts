import type { Selectable } from "kysely";
import type { Executor, PasswordPoliciesTable } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type PasswordPolicyRow = Selectable<PasswordPoliciesTable>;

export async function findPasswordPolicyRow(
  db: Executor,
  accountId: string,
): Promise<PasswordPolicyRow | undefined> {
  return findRowByKey(db, "password_policies", "account_id", accountId);
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
