import { readLdapDirectory } from "../../adapters/ldap-directory.js";
import { mapEntry, parseAttributeMapping } from "../../directory/ldap-mapping.js";
import { isAppError } from "../../errors/app-error.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, type ServiceContext } from "../context.js";
import { findConnectorNamed } from "./connector-settings.js";
import { readRequestOf, type SyncDependencies } from "./read-connectors.js";
import type { ConnectorTestResult } from "./sync-view-schemas.js";

/** A test reads at most this many entries: enough to see the filter works, bounded for a huge directory. */
export const CONNECTOR_TEST_MAX_ENTRIES = 1000;

export type { ConnectorTestResult } from "./sync-view-schemas.js";

/**
 * `connectors test` and POST /connectors/{name}/test: binds as the connector does and counts the entries its
 * filter finds (bounded). Writes nothing; an LDAP failure is the answer, not an error of the request.
 */
export async function testConnector(
  context: ServiceContext,
  deps: SyncDependencies,
  request: { name: string; account?: string | undefined },
): Promise<ConnectorTestResult> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "run_directory_sync");
  const connector = await findConnectorNamed(context.db, account.id, request.name);
  const mapping = parseAttributeMapping(connector.attribute_map_json);
  try {
    const found = await (deps.readDirectory ?? readLdapDirectory)({
      ...readRequestOf(connector, deps.secrets),
      // One more than counted tells whether there are more.
      maxEntries: CONNECTOR_TEST_MAX_ENTRIES + 1,
      pageSize: Math.min(1000, CONNECTOR_TEST_MAX_ENTRIES + 1),
      timeoutMs: 15_000,
    });
    const counted = found.slice(0, CONNECTOR_TEST_MAX_ENTRIES);
    return {
      name: connector.name,
      ok: true,
      entries: counted.length,
      more: found.length > CONNECTOR_TEST_MAX_ENTRIES,
      skipped: counted.filter((entry) => !mapEntry(entry, mapping).ok).length,
      error: null,
    };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return {
      name: connector.name,
      ok: false,
      entries: 0,
      more: false,
      skipped: 0,
      error: { code: error.code, message: error.message },
    };
  }
}
