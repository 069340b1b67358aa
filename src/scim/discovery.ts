import type { JsonObject } from "./json-resource.js";
import { SCHEMA_DEFINITIONS, type SchemaDefinition } from "./schema-definitions.js";
import {
  ATTRIBUTES_SCHEMA,
  ENTERPRISE_USER_SCHEMA,
  GROUP_SCHEMA,
  LIST_RESPONSE,
  RESOURCE_TYPE_SCHEMA,
  SCHEMA_SCHEMA,
  SERVICE_PROVIDER_CONFIG_SCHEMA,
  USER_SCHEMA,
} from "./scim-urns.js";

/** The server's SCIM limits: advertised in ServiceProviderConfig and enforced by the endpoints. */
export interface ScimLimits {
  /** The most resources a list returns (filter.maxResults); a larger count is lowered to it. */
  readonly maxResults: number;
  readonly bulkMaxOperations: number;
  readonly bulkMaxPayloadSize: number;
}

export const SCIM_LIMITS: ScimLimits = {
  maxResults: 200,
  bulkMaxOperations: 1000,
  // The Bulk route's body limit: a thousand operations of a user each, with room to spare.
  bulkMaxPayloadSize: 4 * 1024 * 1024,
};

/** RFC 7643 section 5. */
export function serviceProviderConfig(baseUrl: string, limits: ScimLimits = SCIM_LIMITS): JsonObject {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: "https://datatracker.ietf.org/doc/html/rfc7644",
    patch: { supported: true },
    bulk: {
      supported: true,
      maxOperations: limits.bulkMaxOperations,
      maxPayloadSize: limits.bulkMaxPayloadSize,
    },
    filter: { supported: true, maxResults: limits.maxResults },
    changePassword: { supported: true },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "API token",
        description:
          "A mailroster API token (mrt.…) in Authorization: Bearer; it acts as the administrator who made it.",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** RFC 7643 section 6. */
export function resourceTypes(baseUrl: string): JsonObject[] {
  return [
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "Directory users",
      schema: USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: ATTRIBUTES_SCHEMA, required: false },
      ],
      meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/User` },
    },
    {
      schemas: [RESOURCE_TYPE_SCHEMA],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: "Profile groups",
      schema: GROUP_SCHEMA,
      meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/Group` },
    },
  ];
}

/** RFC 7643 section 7: each schema with its attributes. */
export function schemaResources(baseUrl: string): JsonObject[] {
  return SCHEMA_DEFINITIONS.map((schema: SchemaDefinition) => ({
    schemas: [SCHEMA_SCHEMA],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  }));
}

/** startIndex and count as RFC 7644 3.4.2.4 reads them: below 1 is 1, below 0 is 0, above the cap the cap. */
export function parsePaging(
  startIndex: string | number | undefined,
  count: string | number | undefined,
  limits: ScimLimits = SCIM_LIMITS,
): { startIndex: number; count: number } {
  const toInt = (v: string | number | undefined): number | undefined => {
    if (v === undefined || v === "") return undefined;
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? Math.trunc(n) : undefined;
  };
  const start = Math.max(1, toInt(startIndex) ?? 1);
  const size = Math.min(limits.maxResults, Math.max(0, toInt(count) ?? limits.maxResults));
  return { startIndex: start, count: size };
}

export function listResponse(
  resources: readonly JsonObject[],
  totalResults: number,
  startIndex: number,
): JsonObject {
  return {
    schemas: [LIST_RESPONSE],
    totalResults,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
