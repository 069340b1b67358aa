import type { Selectable } from "kysely";
import type { Executor, RecipientSettingsTable } from "./schema.js";
import { findRowByKey } from "./table-rows.js";

export type RecipientSettingsRow = Selectable<RecipientSettingsTable>;

export async function findRecipientSettings(
  db: Executor,
  accountId: string,
): Promise<RecipientSettingsRow | undefined> {
  return findRowByKey(db, "recipient_settings", "account_id", accountId);
}

export async function upsertRecipientSettings(db: Executor, row: RecipientSettingsRow): Promise<void> {
  await db
    .insertInto("recipient_settings")
    .values(row)
    .onConflict((oc) =>
      oc.column("account_id").doUpdateSet({ unknown_action: row.unknown_action, updated_at: row.updated_at }),
    )
    .execute();
}
