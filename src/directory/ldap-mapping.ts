import { AppError } from "../errors/app-error.js";

/** Which defaults a connector's attribute mapping starts from. */
export type DirectoryKind = "openldap" | "active-directory";

/** The CLI's `--type`: `ldap` is a generic LDAP server with OpenLDAP's schema. */
export function parseConnectorType(text: string): DirectoryKind {
  if (text === "ldap" || text === "openldap") return "openldap";
  if (text === "active-directory" || text === "ad") return "active-directory";
  throw new AppError("connector_type_invalid", `"${text}" is not a connector type.`, { type: text });
}

/** Which LDAP attributes hold what we need. */
export interface AttributeMapping {
  readonly id: string;
  readonly primary: string;
  /** Attributes whose values are plain alias addresses. */
  readonly aliases: readonly string[];
  /** Attributes holding Exchange-style `smtp:` / `SMTP:` entries (only those become addresses). */
  readonly proxyAddresses: readonly string[];
  /** Tried in order; the first present is the user's name. */
  readonly names: readonly string[];
}

export const DEFAULT_MAPPINGS: Readonly<Record<DirectoryKind, AttributeMapping>> = {
  openldap: {
    id: "entryUUID",
    primary: "mail",
    aliases: ["mailAlternateAddress", "mailLocalAddress"],
    proxyAddresses: [],
    names: ["displayName", "cn"],
  },
  "active-directory": {
    id: "objectGUID",
    primary: "mail",
    aliases: [],
    proxyAddresses: ["proxyAddresses"],
    names: ["displayName", "cn"],
  },
};

export const DEFAULT_FILTERS: Readonly<Record<DirectoryKind, string>> = {
  openldap: "(&(objectClass=inetOrgPerson)(mail=*))",
  "active-directory": "(&(objectCategory=person)(objectClass=user)(mail=*))",
};

export function mappingAttributes(mapping: AttributeMapping): string[] {
  return [
    ...new Set([
      mapping.id,
      mapping.primary,
      ...mapping.aliases,
      ...mapping.proxyAddresses,
      ...mapping.names,
    ]),
  ];
}

/** One entry as the LDAP adapter hands it over: attribute name -> values; binary values already as hex. */
export interface DirectoryEntry {
  readonly dn: string;
  readonly attributes: ReadonlyMap<string, readonly string[]>;
}

/** What an entry means to the directory, before any address is checked against the account's domains. */
export interface MappedEntry {
  readonly externalId: string;
  readonly dn: string;
  readonly email: string;
  readonly name: string;
  readonly aliases: readonly string[];
}

export type MapEntryResult =
  | { readonly ok: true; readonly entry: MappedEntry }
  | { readonly ok: false; readonly code: "sync_entry_no_id" | "sync_entry_no_address"; readonly dn: string };

// LDAP attribute descriptions are case-insensitive (RFC 4512 2.5); the adapter keys them in lower case.
function values(entry: DirectoryEntry, attribute: string): readonly string[] {
  return entry.attributes.get(attribute.toLowerCase()) ?? [];
}

function first(entry: DirectoryEntry, attribute: string): string | undefined {
  return values(entry, attribute)
    .map((v) => v.trim())
    .find((v) => v.length > 0);
}

/** Maps an entry; a missing id or address is a problem reported for that entry, never a thrown error. */
export function mapEntry(entry: DirectoryEntry, mapping: AttributeMapping): MapEntryResult {
  const externalId = first(entry, mapping.id);
  if (externalId === undefined) return { ok: false, code: "sync_entry_no_id", dn: entry.dn };
  const proxies = mapping.proxyAddresses.flatMap((a) => values(entry, a));
  // Exchange marks the primary SMTP address with an upper-case SMTP: prefix, the others with smtp:.
  const proxyPrimary = proxies.find((p) => p.startsWith("SMTP:"))?.slice(5);
  const email = first(entry, mapping.primary) ?? proxyPrimary?.trim();
  if (email === undefined || email.length === 0) {
    return { ok: false, code: "sync_entry_no_address", dn: entry.dn };
  }
  const aliases = [
    ...mapping.aliases.flatMap((a) => values(entry, a)),
    ...proxies.filter((p) => p.toLowerCase().startsWith("smtp:")).map((p) => p.slice(5)),
  ]
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
  const fallbackName = email.slice(0, email.indexOf("@") > 0 ? email.indexOf("@") : email.length);
  const name = mapping.names.map((n) => first(entry, n)).find((n) => n !== undefined) ?? fallbackName;
  return { ok: true, entry: { externalId, dn: entry.dn, email, name: name.slice(0, 200), aliases } };
}

export function parseAttributeMapping(json: string): AttributeMapping {
  return JSON.parse(json) as AttributeMapping;
}
