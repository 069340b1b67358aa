import { deleteConnector } from "../../store/connectors-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, writeAudit, type ServiceContext } from "../context.js";
import { findConnectorNamed } from "./connector-settings.js";
import { mapConnector } from "./connectors.js";

export interface RemovedConnector {
  name: string;
  account: string;
  /** How many users the connector mapped: they stay, as Directory Users no connector maps. */
  usersUnmapped: number;
}

/**
 * `connectors remove` and DELETE /connectors/{name}: the connector and its (connector, immutable id) joins
 * go; its users stay as Directory Users that no connector maps. Sync All neither flags nor removes them
 * any more, and another connector returning the same primary address adopts them (directory/plan-sync.ts).
 */
export async function removeConnector(
  context: ServiceContext,
  request: { name: string; account?: string | undefined },
): Promise<RemovedConnector> {
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    const row = await findConnectorNamed(tx, account.id, request.name);
    const usersUnmapped = await deleteConnector(tx, row.id);
    await writeAudit(tx, context, actor, [
      {
        accountId: account.id,
        action: "connector.delete",
        before: mapConnector(row, account.code),
        after: { usersUnmapped },
      },
    ]);
    return { name: row.name, account: account.code, usersUnmapped };
  });
}
