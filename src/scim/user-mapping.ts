import { AppError } from "../errors/app-error.js";
import { addressKey, tryParseAddress } from "../directory/address.js";
import { getIgnoringCase, isJsonObject, type JsonObject } from "./json-resource.js";
import { findAttribute, SCHEMA_DEFINITIONS } from "./schema-definitions.js";
import { ATTRIBUTES_SCHEMA, ENTERPRISE_USER_SCHEMA, RESOURCE_SCHEMAS, USER_SCHEMA } from "./scim-urns.js";
import {
  ADDRESS_PARTS,
  ADDRESS_PREFIX,
  addressPartOf,
  findSimplePlace,
  isScimPlacedAttribute,
  normalizeType,
  PHONE_PREFIX,
  phoneTypeOf,
  SIMPLE_PLACES,
} from "./user-attribute-places.js";

/** A user as SCIM sees the directory: what the mapping reads and writes. */
export interface DirectoryUser {
  readonly email: string;
  readonly name: string;
  readonly aliases: readonly string[];
  readonly locked: boolean;
  /** Custom attributes by name, as stored. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ScimUserMeta {
  readonly id: string;
  readonly externalId: string | null;
  readonly created: string;
  readonly lastModified: string;
  /** The base URL of /scim/v2, for meta.location and $ref. */
  readonly baseUrl: string;
  readonly groups: readonly { readonly id: string; readonly path: string }[];
}

/** A user resource as a client asked for it, in the directory's terms. */
export interface ScimUserInput {
  readonly email: string;
  /** Undefined when the resource names no one (the caller falls back for a new user). */
  readonly name: string | undefined;
  readonly aliases: readonly string[];
  /** Undefined when `active` is absent. */
  readonly active: boolean | undefined;
  readonly password: string | undefined;
  readonly externalId: string | undefined;
  /** Every custom attribute the resource carries, by name. */
  readonly attributes: ReadonlyMap<string, string>;
  /** The resource carries our attributes extension: the attributes not placed in a schema are all given. */
  readonly givesOtherAttributes: boolean;
}

const stringOf = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function booleanOf(value: unknown, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "boolean") return value;
  // Entra sends "False" and "True" as strings (before aadOptscim062020, and in some PATCH values after).
  if (typeof value === "string" && /^(true|false)$/i.test(value.trim()))
    return value.trim().toLowerCase() === "true";
  throw new AppError("scim_value_invalid", `${field} must be true or false.`, { attribute: field });
}

/** The directory user as a SCIM User resource (RFC 7643 4.1), with the enterprise and attributes extensions. */
export function toScimUser(user: DirectoryUser, meta: ScimUserMeta): JsonObject {
  const name: JsonObject = { formatted: user.name };
  const resource: JsonObject = { id: meta.id };
  if (meta.externalId !== null) resource.externalId = meta.externalId;
  resource.userName = user.email;
  const enterprise: JsonObject = {};
  const phones: JsonObject[] = [];
  const addresses = new Map<string, JsonObject>();
  const others: { name: string; value: string }[] = [];
  for (const [attributeName, value] of Object.entries(user.attributes)) {
    const place = findSimplePlace(attributeName);
    const phoneType = phoneTypeOf(attributeName);
    const addressPart = addressPartOf(attributeName);
    if (place?.scimAttribute === "name" && place.subAttribute !== undefined) name[place.subAttribute] = value;
    else if (place?.scimAttribute === "manager") enterprise.manager = { value };
    else if (place?.schema === ENTERPRISE_USER_SCHEMA) enterprise[place.scimAttribute] = value;
    else if (place) resource[place.scimAttribute] = value;
    else if (phoneType !== undefined) phones.push({ value, type: phoneType });
    else if (addressPart) {
      const [type, part] = addressPart;
      const address = addresses.get(type) ?? { type };
      address[part] = value;
      addresses.set(type, address);
    } else others.push({ name: attributeName, value });
  }
  resource.name = name;
  resource.displayName = user.name;
  resource.active = !user.locked;
  resource.emails = [
    { value: user.email, type: "work", primary: true },
    ...user.aliases.map((alias) => ({ value: alias, type: "other", primary: false })),
  ];
  if (phones.length > 0) resource.phoneNumbers = phones;
  if (addresses.size > 0) resource.addresses = [...addresses.values()];
  if (meta.groups.length > 0) {
    resource.groups = meta.groups.map((g) => ({
      value: g.id,
      display: g.path,
      $ref: `${meta.baseUrl}/Groups/${g.id}`,
      type: "direct",
    }));
  }
  const schemas = [USER_SCHEMA];
  if (Object.keys(enterprise).length > 0) {
    schemas.push(ENTERPRISE_USER_SCHEMA);
    resource[ENTERPRISE_USER_SCHEMA] = enterprise;
  }
  if (others.length > 0) {
    schemas.push(ATTRIBUTES_SCHEMA);
    others.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    resource[ATTRIBUTES_SCHEMA] = { attributes: others };
  }
  resource.meta = {
    resourceType: "User",
    created: meta.created,
    lastModified: meta.lastModified,
    location: `${meta.baseUrl}/Users/${meta.id}`,
  };
  return { schemas, ...resource };
}

/** The primary address: userName when it is an address, else the primary (or work, or first) email. */
function primaryAddressOf(userName: string | undefined, emails: readonly JsonObject[]): string {
  if (userName !== undefined && tryParseAddress(userName)) return userName.trim();
  const value = (e: JsonObject | undefined) =>
    stringOf(e === undefined ? undefined : getIgnoringCase(e, "value"));
  const chosen =
    value(emails.find((e) => booleanOf(getIgnoringCase(e, "primary"), "primary") === true)) ??
    value(emails.find((e) => stringOf(getIgnoringCase(e, "type"))?.toLowerCase() === "work")) ??
    value(emails[0]);
  if (chosen === undefined) {
    throw new AppError(
      "scim_value_invalid",
      "userName must be the user's e-mail address (or give one in emails).",
      {
        attribute: "userName",
      },
    );
  }
  return chosen.trim();
}

function listOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** Values of attributes no schema of ours names: a top-level string, or a string in an unknown extension. */
function collectUnknown(resource: JsonObject, into: Map<string, string>): void {
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (["schemas", "id", "externalid", "meta"].includes(lower)) continue;
    if (lower.startsWith("urn:")) {
      if (RESOURCE_SCHEMAS.some((s) => s.toLowerCase() === lower) || !isJsonObject(value)) continue;
      for (const [sub, subValue] of Object.entries(value)) {
        if (typeof subValue === "string") into.set(sub, subValue);
      }
    } else if (typeof value === "string" && findAttribute(SCHEMA_DEFINITIONS, undefined, key) === undefined) {
      into.set(key, value);
    }
  }
}

/** Reads a User resource (from POST, PUT, or a PATCH's result) into the directory's terms. */
export function fromScimUser(resource: JsonObject): ScimUserInput {
  const userName = stringOf(getIgnoringCase(resource, "userName"));
  const emails = listOf(getIgnoringCase(resource, "emails"));
  const email = primaryAddressOf(userName, emails);
  const aliases: string[] = [];
  const seen = new Set([addressKey(email)]);
  for (const entry of emails) {
    const value = stringOf(getIgnoringCase(entry, "value"))?.trim();
    if (value === undefined || value === "" || seen.has(addressKey(value))) continue;
    seen.add(addressKey(value));
    aliases.push(value);
  }
  const nameObject = getIgnoringCase(resource, "name");
  const names = isJsonObject(nameObject) ? nameObject : {};
  const part = (key: string) => stringOf(getIgnoringCase(names, key))?.trim() ?? "";
  const displayName = stringOf(getIgnoringCase(resource, "displayName"))?.trim() ?? "";
  const joined = [part("givenName"), part("familyName")].filter((p) => p !== "").join(" ");
  const name = [displayName, part("formatted"), joined].find((n) => n !== "");

  const attributes = new Map<string, string>();
  collectUnknown(resource, attributes);
  const enterpriseObject = getIgnoringCase(resource, ENTERPRISE_USER_SCHEMA);
  const enterprise = isJsonObject(enterpriseObject) ? enterpriseObject : {};
  for (const place of SIMPLE_PLACES) {
    const holder =
      place.schema === ENTERPRISE_USER_SCHEMA
        ? enterprise
        : place.scimAttribute === "name"
          ? names
          : resource;
    const key = place.scimAttribute === "name" ? (place.subAttribute ?? "") : place.scimAttribute;
    const raw = getIgnoringCase(holder, key);
    const value = isJsonObject(raw) ? stringOf(getIgnoringCase(raw, "value")) : stringOf(raw);
    if (value !== undefined && value.trim() !== "") attributes.set(place.attribute, value);
  }
  for (const phone of listOf(getIgnoringCase(resource, "phoneNumbers"))) {
    const value = stringOf(getIgnoringCase(phone, "value"));
    const name = PHONE_PREFIX + normalizeType(getIgnoringCase(phone, "type"));
    if (value !== undefined && value.trim() !== "" && !attributes.has(name)) attributes.set(name, value);
  }
  for (const address of listOf(getIgnoringCase(resource, "addresses"))) {
    const type = normalizeType(getIgnoringCase(address, "type"));
    for (const addressPart of ADDRESS_PARTS) {
      const value = stringOf(getIgnoringCase(address, addressPart));
      const name = `${ADDRESS_PREFIX}${type}.${addressPart}`;
      if (value !== undefined && value.trim() !== "" && !attributes.has(name)) attributes.set(name, value);
    }
  }
  const extension = getIgnoringCase(resource, ATTRIBUTES_SCHEMA);
  const givesOtherAttributes = isJsonObject(extension);
  if (isJsonObject(extension)) {
    for (const entry of listOf(getIgnoringCase(extension, "attributes"))) {
      const attributeName = stringOf(getIgnoringCase(entry, "name"));
      const value = stringOf(getIgnoringCase(entry, "value"));
      if (attributeName !== undefined && value !== undefined) attributes.set(attributeName, value);
    }
  }
  const externalId = stringOf(getIgnoringCase(resource, "externalId"));
  const password = getIgnoringCase(resource, "password");
  if (password !== undefined && password !== null && typeof password !== "string") {
    throw new AppError("scim_value_invalid", "password must be a string.", { attribute: "password" });
  }
  return {
    email,
    name,
    aliases,
    active: booleanOf(getIgnoringCase(resource, "active"), "active"),
    password: typeof password === "string" && password !== "" ? password : undefined,
    externalId: externalId === undefined || externalId === "" ? undefined : externalId,
    attributes,
    givesOtherAttributes,
  };
}

/** What a SCIM write changes of an existing user: only what differs, as the user services take it. */
export interface UserChangePlan {
  readonly email?: string | undefined;
  readonly name?: string | undefined;
  readonly aliases?: readonly string[] | undefined;
  readonly locked?: boolean | undefined;
  /** Attributes to set; "" removes one. */
  readonly attributes?: Readonly<Record<string, string>> | undefined;
  readonly password?: string | undefined;
}

const sameKeys = (a: readonly string[], b: readonly string[]) => {
  const left = new Set(a.map(addressKey));
  const right = new Set(b.map(addressKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
};

/**
 * The change that makes `current` what `desired` describes. A placed attribute the resource leaves out is
 * removed (the resource is the whole user); the other custom attributes only when the resource carries our
 * attributes extension, since a client that knows nothing of them (Okta's PUT) must not wipe them.
 */
export function planUserChange(current: DirectoryUser, desired: ScimUserInput): UserChangePlan {
  const plan: { -readonly [K in keyof UserChangePlan]: UserChangePlan[K] } = {};
  if (addressKey(desired.email) !== addressKey(current.email)) plan.email = desired.email;
  if (desired.name !== undefined && desired.name !== current.name) plan.name = desired.name;
  if (!sameKeys(desired.aliases, current.aliases)) plan.aliases = desired.aliases;
  if (desired.active !== undefined && desired.active === current.locked) plan.locked = !desired.active;
  const wanted = new Map(
    [...desired.attributes].map(([k, v]) => [k.toLowerCase(), { name: k, value: v.trim() }]),
  );
  const attributes: Record<string, string> = {};
  for (const [attributeName, value] of Object.entries(current.attributes)) {
    const want = wanted.get(attributeName.toLowerCase());
    const owned = isScimPlacedAttribute(attributeName) || desired.givesOtherAttributes;
    if (want === undefined) {
      if (owned) attributes[attributeName] = "";
    } else if (want.value !== value) {
      attributes[attributeName] = want.value;
    }
    wanted.delete(attributeName.toLowerCase());
  }
  for (const { name, value } of wanted.values()) if (value !== "") attributes[name] = value;
  if (Object.keys(attributes).length > 0) plan.attributes = attributes;
  if (desired.password !== undefined) plan.password = desired.password;
  return plan;
}

/** A new user's name when the resource names no one: the primary address. */
export function nameForNewUser(input: ScimUserInput): string {
  return input.name ?? input.email;
}
