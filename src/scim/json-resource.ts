import type { AttributePath } from "./attribute-path.js";
import { GROUP_SCHEMA, USER_SCHEMA } from "./scim-urns.js";

/** A SCIM resource or a value inside one, as parsed JSON. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key of `object` that names `name`, ignoring case (attribute names are case-insensitive). */
export function findKey(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

export function getIgnoringCase(object: JsonObject, name: string): unknown {
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** Core schemas' attributes sit at the top of a resource; an extension's inside the object named by its URN. */
export function isCoreSchema(schema: string | undefined): boolean {
  if (schema === undefined) return true;
  const lower = schema.toLowerCase();
  return lower === USER_SCHEMA.toLowerCase() || lower === GROUP_SCHEMA.toLowerCase();
}

/** The object holding the path's attribute: the resource, or its extension object (undefined if absent). */
export function containerOf(
  resource: JsonObject,
  path: AttributePath,
  create: boolean,
): JsonObject | undefined {
  if (isCoreSchema(path.schema)) return resource;
  const schema = path.schema ?? "";
  const existing = getIgnoringCase(resource, schema);
  if (isJsonObject(existing)) return existing;
  if (!create) return undefined;
  const made: JsonObject = {};
  resource[findKey(resource, schema) ?? schema] = made;
  return made;
}

/**
 * Every value the path reaches: a multi-valued attribute gives each element (or each element's
 * sub-attribute); a multi-valued complex attribute compared as a whole compares its elements' `value`.
 */
export function valuesAt(resource: JsonObject, path: AttributePath): unknown[] {
  const container = containerOf(resource, path, false);
  if (!container) return [];
  const top = getIgnoringCase(container, path.attribute);
  const items = Array.isArray(top) ? (top as unknown[]) : top === undefined ? [] : [top];
  const out: unknown[] = [];
  for (const item of items) {
    if (path.subAttribute !== undefined) {
      if (isJsonObject(item)) out.push(getIgnoringCase(item, path.subAttribute));
    } else if (Array.isArray(top) && isJsonObject(item)) {
      out.push(getIgnoringCase(item, "value"));
    } else {
      out.push(item);
    }
  }
  return out.filter((v) => v !== undefined);
}
