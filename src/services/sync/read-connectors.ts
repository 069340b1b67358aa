import {
  readLdapDirectory,
  type DirectoryReader,
  type LdapReadRequest,
} from "../../adapters/ldap-directory.js";
import type { SecretBox } from "../../adapters/secret-box.js";
import {
  mapEntry,
  mappingAttributes,
  parseAttributeMapping,
  type MappedEntry,
} from "../../directory/ldap-mapping.js";
import type { SyncConnectorRead } from "../../directory/plan-sync.js";
import { isAppError } from "../../errors/app-error.js";
import type { ConnectorRow } from "../../store/connectors-repository.js";
import type { SyncErrors } from "./sync-errors.js";

export interface SyncDependencies {
  readonly secrets: SecretBox;
  /** The LDAP adapter; replaceable so the service can be driven by another directory source. */
  readonly readDirectory?: DirectoryReader;
}

/** How to read a connector's directory: its settings, the password opened, the mapping's attributes. */
export function readRequestOf(connector: ConnectorRow, secrets: SecretBox): LdapReadRequest {
  const mapping = parseAttributeMapping(connector.attribute_map_json);
  return {
    url: connector.url,
    startTls: connector.start_tls === 1,
    caFile: connector.ca_file,
    bindDn: connector.bind_dn,
    bindPassword: secrets.open(connector.bind_password_enc, connector.id),
    baseDn: connector.base_dn,
    filter: connector.filter,
    attributes: mappingAttributes(mapping),
    binaryAttributes: mapping.id === "objectGUID" ? ["objectGUID"] : [],
  };
}

/**
 * Reads one connector's entries and maps them. An entry without an id or address is recorded and skipped;
 * a connector that fails (bind, network) is recorded and read as undefined: nothing may be concluded about
 * its users.
 */
async function readConnector(
  connector: ConnectorRow,
  deps: SyncDependencies,
  errors: SyncErrors,
  failures: Map<string, string>,
): Promise<SyncConnectorRead> {
  const mapping = parseAttributeMapping(connector.attribute_map_json);
  const read = { id: connector.id, name: connector.name, removeMissing: connector.remove_missing === 1 };
  try {
    const raw = await (deps.readDirectory ?? readLdapDirectory)(readRequestOf(connector, deps.secrets));
    const entries: MappedEntry[] = [];
    for (const entry of raw) {
      const mapped = mapEntry(entry, mapping);
      if (mapped.ok) entries.push(mapped.entry);
      else {
        errors.add({ connector: connector.name, code: mapped.code, dn: mapped.dn, message: "entry skipped" });
      }
    }
    return { connector: read, entries };
  } catch (error) {
    if (!isAppError(error)) throw error;
    errors.add({ connector: connector.name, code: error.code, message: error.message });
    failures.set(connector.id, error.code);
    return { connector: read, entries: undefined };
  }
}

/** What the connectors gave: each one's read, and the code of each that failed (by connector id). */
export interface ConnectorReads {
  readonly reads: SyncConnectorRead[];
  readonly failures: ReadonlyMap<string, string>;
}

/**
 * Reads every connector, one after the other, outside any transaction: the network is slow. `onRead` is
 * told after each one, with how many have been read.
 */
export async function readConnectors(
  connectors: readonly ConnectorRow[],
  deps: SyncDependencies,
  errors: SyncErrors,
  onRead: (done: number) => void = () => undefined,
): Promise<ConnectorReads> {
  const reads: SyncConnectorRead[] = [];
  const failures = new Map<string, string>();
  for (const connector of connectors) {
    reads.push(await readConnector(connector, deps, errors, failures));
    onRead(reads.length);
  }
  return { reads, failures };
}
