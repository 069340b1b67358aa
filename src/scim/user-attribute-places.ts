import { ENTERPRISE_USER_SCHEMA } from "./scim-urns.js";

/**
 * Where each SCIM value the directory keeps as a custom attribute lives, and the attribute's name: one table
 * both ways (SCIM -> attribute on the way in, attribute -> SCIM on the way out). Names compare ignoring case,
 * as the directory's attribute names do.
 */
export interface SimplePlace {
  readonly attribute: string;
  /** The extension's URN; undefined for the core schema. */
  readonly schema?: string | undefined;
  readonly scimAttribute: string;
  readonly subAttribute?: string | undefined;
}

const core = (scimAttribute: string): SimplePlace => ({ attribute: scimAttribute, scimAttribute });
const nameSub = (sub: string): SimplePlace => ({ attribute: sub, scimAttribute: "name", subAttribute: sub });
const enterprise = (scimAttribute: string): SimplePlace => ({
  attribute: scimAttribute,
  schema: ENTERPRISE_USER_SCHEMA,
  scimAttribute,
});

export const SIMPLE_PLACES: readonly SimplePlace[] = [
  core("nickName"),
  core("profileUrl"),
  core("title"),
  core("userType"),
  core("preferredLanguage"),
  core("locale"),
  core("timezone"),
  nameSub("givenName"),
  nameSub("familyName"),
  nameSub("middleName"),
  nameSub("honorificPrefix"),
  nameSub("honorificSuffix"),
  enterprise("employeeNumber"),
  enterprise("costCenter"),
  enterprise("organization"),
  enterprise("division"),
  enterprise("department"),
  // manager is complex ({value, $ref, displayName}); Entra sends the id alone as a string. The value is kept.
  { attribute: "manager", schema: ENTERPRISE_USER_SCHEMA, scimAttribute: "manager", subAttribute: "value" },
];

/** phoneNumbers and addresses are kept one attribute per type (and address part): `phoneNumbers.work`. */
export const PHONE_PREFIX = "phoneNumbers.";
export const ADDRESS_PREFIX = "addresses.";
export const ADDRESS_PARTS = [
  "formatted",
  "streetAddress",
  "locality",
  "region",
  "postalCode",
  "country",
] as const;

/** A type label made safe to sit inside an attribute name: lower case letters and digits, at most 20. */
export function normalizeType(type: unknown): string {
  const text =
    typeof type === "string"
      ? type
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "")
          .slice(0, 20)
      : "";
  return text === "" ? "other" : text;
}

const BY_NAME = new Map(SIMPLE_PLACES.map((p) => [p.attribute.toLowerCase(), p]));

export function findSimplePlace(attributeName: string): SimplePlace | undefined {
  return BY_NAME.get(attributeName.toLowerCase());
}

/** `phoneNumbers.work` -> "work"; undefined for any other name. */
export function phoneTypeOf(attributeName: string): string | undefined {
  const lower = attributeName.toLowerCase();
  if (!lower.startsWith(PHONE_PREFIX.toLowerCase())) return undefined;
  const type = lower.slice(PHONE_PREFIX.length);
  return /^[a-z0-9]{1,20}$/.test(type) ? type : undefined;
}

/** `addresses.work.locality` -> ["work", "locality"]; undefined for any other name. */
export function addressPartOf(attributeName: string): [string, (typeof ADDRESS_PARTS)[number]] | undefined {
  const lower = attributeName.toLowerCase();
  if (!lower.startsWith(ADDRESS_PREFIX.toLowerCase())) return undefined;
  const [type = "", part = "", ...rest] = lower.slice(ADDRESS_PREFIX.length).split(".");
  const found = ADDRESS_PARTS.find((p) => p.toLowerCase() === part);
  return found && rest.length === 0 && /^[a-z0-9]{1,20}$/.test(type) ? [type, found] : undefined;
}

/** Whether SCIM holds the attribute in a place of its schemas (so a full PUT without it removes it). */
export function isScimPlacedAttribute(attributeName: string): boolean {
  return (
    findSimplePlace(attributeName) !== undefined ||
    phoneTypeOf(attributeName) !== undefined ||
    addressPartOf(attributeName) !== undefined
  );
}
