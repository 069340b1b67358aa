import { ATTRIBUTES_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "./scim-urns.js";

/** An attribute definition, as RFC 7643 section 7 describes one (and /Schemas serves it). */
export interface AttributeDefinition {
  readonly name: string;
  readonly type:
    "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
  readonly multiValued: boolean;
  readonly description: string;
  readonly required: boolean;
  readonly caseExact: boolean;
  readonly mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  readonly returned: "always" | "never" | "default" | "request";
  readonly uniqueness: "none" | "server" | "global";
  readonly canonicalValues?: readonly string[];
  readonly referenceTypes?: readonly string[];
  readonly subAttributes?: readonly AttributeDefinition[];
}

export interface SchemaDefinition {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly AttributeDefinition[];
}

type Options = Partial<Omit<AttributeDefinition, "name" | "type" | "description">>;

function attr(
  name: string,
  type: AttributeDefinition["type"],
  description: string,
  options: Options = {},
): AttributeDefinition {
  return {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...(type === "reference" && options.referenceTypes === undefined ? { referenceTypes: ["external"] } : {}),
    ...options,
  };
}

const str = (name: string, description: string, options?: Options) =>
  attr(name, "string", description, options);

/** value, display, type and primary: the sub-attributes of a multi-valued attribute (RFC 7643 2.4). */
function multi(
  name: string,
  description: string,
  types: readonly string[],
  extra: AttributeDefinition[] = [],
) {
  return attr(name, "complex", description, {
    multiValued: true,
    subAttributes: [
      str("value", `The ${name} value.`),
      str("display", "A label for display.", { mutability: "readOnly" }),
      str("type", "A label of the value's function.", { canonicalValues: types }),
      attr("primary", "boolean", "Whether this is the primary value."),
      ...extra,
    ],
  });
}

const readOnlyReference = (name: string, description: string, referenceTypes: readonly string[]) =>
  attr(name, "reference", description, { mutability: "readOnly", referenceTypes });

export const USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: USER_SCHEMA,
  name: "User",
  description: "A user of the directory: userName is the primary address.",
  attributes: [
    str("userName", "The primary e-mail address; unique across the directory.", {
      required: true,
      uniqueness: "server",
    }),
    attr(
      "name",
      "complex",
      "The user's name; formatted is the directory's name when displayName is absent.",
      {
        subAttributes: [
          str("formatted", "The full name."),
          str("familyName", "The family name."),
          str("givenName", "The given name."),
          str("middleName", "The middle name."),
          str("honorificPrefix", "A prefix, e.g. Ms."),
          str("honorificSuffix", "A suffix, e.g. III."),
        ],
      },
    ),
    str("displayName", "The user's name in the directory."),
    str("nickName", "A casual name."),
    attr("profileUrl", "reference", "A profile page."),
    str("title", "The job title."),
    str("userType", "The relationship to the organisation."),
    str("preferredLanguage", "The preferred language (RFC 7231 Accept-Language)."),
    str("locale", "The locale."),
    str("timezone", "The time zone (IANA)."),
    attr("active", "boolean", "False locks the account (accountlockedout)."),
    str("password", "Sets the password, under the account's policy; never returned.", {
      mutability: "writeOnly",
      returned: "never",
    }),
    multi("emails", "The primary address and the aliases (ten at most).", ["work", "home", "other"]),
    multi("phoneNumbers", "Phone numbers, kept as custom attributes by type.", [
      "work",
      "home",
      "mobile",
      "fax",
      "pager",
      "other",
    ]),
    attr("addresses", "complex", "Postal addresses, kept as custom attributes by type.", {
      multiValued: true,
      subAttributes: [
        str("formatted", "The full address."),
        str("streetAddress", "The street."),
        str("locality", "The city."),
        str("region", "The state or region."),
        str("postalCode", "The postal code."),
        str("country", "The country (ISO 3166-1 alpha-2)."),
        str("type", "work, home or other.", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean", "Whether this is the primary address."),
      ],
    }),
    attr("groups", "complex", "The profile groups the user belongs to.", {
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        str("value", "The group's id.", { mutability: "readOnly" }),
        readOnlyReference("$ref", "The group's URI.", ["Group"]),
        str("display", "The group's path.", { mutability: "readOnly" }),
        str("type", "direct.", { mutability: "readOnly", canonicalValues: ["direct"] }),
      ],
    }),
  ],
};

export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User: each value is kept as a custom attribute of the same name.",
  attributes: [
    str("employeeNumber", "The employee number."),
    str("costCenter", "The cost center."),
    str("organization", "The organisation."),
    str("division", "The division."),
    str("department", "The department."),
    attr("manager", "complex", "The manager; its value is kept as the attribute manager.", {
      subAttributes: [
        str("value", "The manager's id."),
        attr("$ref", "reference", "The manager's URI.", { referenceTypes: ["User"] }),
        str("displayName", "The manager's name.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

export const ATTRIBUTES_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ATTRIBUTES_SCHEMA,
  name: "MailrosterAttributes",
  description: "The directory's other custom attributes (those with no place in the schemas above).",
  attributes: [
    attr("attributes", "complex", "Custom attributes by name.", {
      multiValued: true,
      subAttributes: [
        str("name", "The attribute's name (any case).", { required: true }),
        str("value", "Its value, at most 1,000 characters.", { caseExact: true }),
      ],
    }),
  ],
};

export const GROUP_SCHEMA_DEFINITION: SchemaDefinition = {
  id: GROUP_SCHEMA,
  name: "Group",
  description: "A profile group; displayName is its path (folders separated by '/').",
  attributes: [
    str("displayName", "The group's path.", { required: true, uniqueness: "server" }),
    attr("members", "complex", "The users in the group.", {
      multiValued: true,
      subAttributes: [
        str("value", "The user's id.", { mutability: "immutable" }),
        attr("$ref", "reference", "The user's URI.", { mutability: "immutable", referenceTypes: ["User"] }),
        str("display", "The user's primary address.", { mutability: "readOnly" }),
        str("type", "User.", { mutability: "immutable", canonicalValues: ["User"] }),
      ],
    }),
  ],
};

export const SCHEMA_DEFINITIONS: readonly SchemaDefinition[] = [
  USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  ATTRIBUTES_SCHEMA_DEFINITION,
  GROUP_SCHEMA_DEFINITION,
];

/** The common attributes every resource carries (RFC 7643 3.1), for attribute projection and filters. */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [
  str("id", "The server's id.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  str("externalId", "The provisioning client's id.", { caseExact: true }),
  attr("meta", "complex", "Resource metadata.", {
    mutability: "readOnly",
    subAttributes: [
      str("resourceType", "User or Group.", { caseExact: true, mutability: "readOnly" }),
      attr("created", "dateTime", "When it was created.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "When it last changed.", { mutability: "readOnly" }),
      attr("location", "reference", "Its URI.", { mutability: "readOnly", referenceTypes: ["uri"] }),
      str("version", "Its version.", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];

/**
 * The definition of `attribute` (and `sub`) in the resource's schemas, found ignoring case (attribute names
 * are case-insensitive, RFC 7643 2.1); undefined for an attribute no schema names.
 */
export function findAttribute(
  schemas: readonly SchemaDefinition[],
  schemaId: string | undefined,
  attribute: string,
  sub?: string,
): AttributeDefinition | undefined {
  const lower = attribute.toLowerCase();
  const candidates =
    schemaId === undefined
      ? [...COMMON_ATTRIBUTES, ...(schemas[0]?.attributes ?? [])]
      : (schemas.find((s) => s.id.toLowerCase() === schemaId.toLowerCase())?.attributes ?? []);
  const found = candidates.find((a) => a.name.toLowerCase() === lower);
  if (sub === undefined || !found) return found;
  const subLower = sub.toLowerCase();
  return found.subAttributes?.find((a) => a.name.toLowerCase() === subLower);
}
