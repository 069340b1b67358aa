import type { Executor } from "./schema.js";

/** Every internal domain with its mode and its account's answer for unknown recipients (null: the default). */
export async function listDomainPolicies(
  db: Executor,
): Promise<{ name: string; recipient_validation: string; unknown_action: string | null }[]> {
  return db
    .selectFrom("domains")
    .leftJoin("recipient_settings", "recipient_settings.account_id", "domains.account_id")
    .select(["domains.name", "domains.recipient_validation", "recipient_settings.unknown_action"])
    .execute();
}

/** Every address (primary and alias) with the type of the user holding it. */
export async function listAddressTypes(db: Executor): Promise<{ address_key: string; type: string }[]> {
  return db
    .selectFrom("addresses")
    .innerJoin("users", "users.id", "addresses.user_id")
    .select(["addresses.address_key", "users.type"])
    .execute();
}

export async function updateDomainRecipientValidation(
  db: Executor,
  domainId: string,
  mode: string,
): Promise<void> {
  await db.updateTable("domains").set({ recipient_validation: mode }).where("id", "=", domainId).execute();
}
