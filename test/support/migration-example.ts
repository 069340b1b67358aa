import type { Kysely } from "kysely";
import type { ServiceContext } from "../../src/services/context.js";
import { listAccounts } from "../../src/store/accounts-repository.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { initExample, makeContext } from "./service-context.js";

/**
 * Builder for a migration's test: the example directory, its account's id (for the rows written as the code
 * before the migration wrote them), and the database untyped, as the migrator hands it to a migration.
 */
export async function exampleForMigration(
  open: OpenDatabase,
): Promise<{ context: ServiceContext; accountId: string; db: Kysely<unknown> }> {
  const context = makeContext(open);
  await initExample(context);
  const [account] = await listAccounts(context.db);
  return { context, accountId: account?.id ?? "", db: context.db as unknown as Kysely<unknown> };
}
