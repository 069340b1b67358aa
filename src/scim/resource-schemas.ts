import type { PatchSchema } from "./apply-patch.js";
import type { AttributePath } from "./attribute-path.js";
import type { CaseExactLookup } from "./evaluate-filter.js";
import { isCoreSchema } from "./json-resource.js";
import {
  ATTRIBUTES_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  findAttribute,
  GROUP_SCHEMA_DEFINITION,
  USER_SCHEMA_DEFINITION,
  type AttributeDefinition,
  type SchemaDefinition,
} from "./schema-definitions.js";

/** The schemas of a resource type: its core schema first, then its extensions. */
const USER_SCHEMAS = [
  USER_SCHEMA_DEFINITION,
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  ATTRIBUTES_SCHEMA_DEFINITION,
];
const GROUP_SCHEMAS = [GROUP_SCHEMA_DEFINITION];

function definitionIn(schemas: readonly SchemaDefinition[]) {
  return (path: AttributePath): AttributeDefinition | undefined =>
    isCoreSchema(path.schema)
      ? findAttribute(schemas, undefined, path.attribute, path.subAttribute)
      : findAttribute(schemas, path.schema, path.attribute, path.subAttribute);
}

const exactIn =
  (schemas: readonly SchemaDefinition[]): CaseExactLookup =>
  (path) =>
    definitionIn(schemas)(path)?.caseExact ?? false;

export const userCaseExact: CaseExactLookup = exactIn(USER_SCHEMAS);
export const groupCaseExact: CaseExactLookup = exactIn(GROUP_SCHEMAS);

export function userPatchSchema(id: string): PatchSchema {
  return { id, definitionOf: definitionIn(USER_SCHEMAS), caseExact: userCaseExact };
}

export function groupPatchSchema(id: string): PatchSchema {
  return { id, definitionOf: definitionIn(GROUP_SCHEMAS), caseExact: groupCaseExact };
}
