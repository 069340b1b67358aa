import type { Selectable } from "kysely";
import type { Executor, SignInFailuresTable } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type SignInFailuresRow = Selectable<SignInFailuresTable>;

export async function findSignInFailures(
  db: Executor,
  userId: string,
): Promise<SignInFailuresRow | undefined> {
  return findRowByKey(db, "sign_in_failures", "user_id", userId);
}

export async function upsertSignInFailures(db: Executor, row: SignInFailuresRow): Promise<void> {
  await db
    .insertInto("sign_in_failures")
    .values(row)
    .onConflict((oc) =>
      oc.column("user_id").doUpdateSet({
        failures: row.failures,
        last_failure_at: row.last_failure_at,
        locked_until: row.locked_until,
      }),
    )
    .execute();
}

export async function deleteSignInFailures(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom("sign_in_failures").where("user_id", "=", userId).execute();
}
