import { sql, type Selectable } from "kysely";
import type { DomainsTable, Executor } from "./schema.js";
import { findRowByKey } from "./table-rows.js";
import { escapeLike } from "./like-pattern.js";

export type DomainRow = Selectable<DomainsTable>;
export type DomainOwnerRow = Pick<Selectable<DomainsTable>, "name" | "account_id" | "recipient_validation">;

/** Every domain with its account and recipient validation: what an import checks each address against. */
export async function listDomainOwners(db: Executor): Promise<DomainOwnerRow[]> {
  return db.selectFrom("domains").select(["name", "account_id", "recipient_validation"]).execute();
}

export async function insertDomain(db: Executor, row: DomainRow): Promise<void> {
  await db.insertInto("domains").values(row).execute();
}

export async function findDomainByName(db: Executor, name: string): Promise<DomainRow | undefined> {
  return findRowByKey(db, "domains", "name", name);
}

export async function listDomainsOfAccount(db: Executor, accountId: string): Promise<DomainRow[]> {
  return db.selectFrom("domains").selectAll().where("account_id", "=", accountId).orderBy("name").execute();
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

/** One internal domain's recipient policy (see listDomainPolicies), or undefined: an indexed look-up. */
export async function findDomainPolicy(
  db: Executor,
  name: string,
): Promise<{ name: string; recipient_validation: string; unknown_action: string | null } | undefined> {
  return db
    .selectFrom("domains")
    .leftJoin("recipient_settings", "recipient_settings.account_id", "domains.account_id")
    .select(["domains.name", "domains.recipient_validation", "recipient_settings.unknown_action"])
    .where("domains.name", "=", name)
    .executeTakeFirst();
}

export async function updateDomainRecipientValidation(
  db: Executor,
  domainId: string,
  mode: string,
): Promise<void> {
  await db.updateTable("domains").set({ recipient_validation: mode }).where("id", "=", domainId).execute();
}
