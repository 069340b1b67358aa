import { AppError } from "../errors/app-error.js";
import { parseAttributePath, type AttributePath } from "./attribute-path.js";
import {
  containerOf,
  findKey,
  getIgnoringCase,
  isCoreSchema,
  isJsonObject,
  type JsonObject,
} from "./json-resource.js";

/** `attributes` / `excludedAttributes` (RFC 7644 3.4.2.5 and 3.9), parsed. */
export interface Projection {
  readonly attributes?: readonly AttributePath[] | undefined;
  readonly excludedAttributes?: readonly AttributePath[] | undefined;
}

const MAX_LISTED = 100;

/** A comma-separated list of attribute paths; undefined or empty text gives undefined. */
export function parseAttributeList(text: string | undefined): AttributePath[] | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (parts.length > MAX_LISTED) {
    throw new AppError("scim_value_invalid", `At most ${MAX_LISTED} attributes may be named.`, {});
  }
  return parts.map((p) => parseAttributePath(p, "scim_value_invalid"));
}

/** id and schemas are always returned (RFC 7643 3.1, 7); so is every attribute a schema marks "always". */
const ALWAYS = new Set(["id", "schemas"]);

function pick(source: JsonObject, target: JsonObject, path: AttributePath): void {
  const key = findKey(source, path.attribute);
  if (key === undefined) return;
  const value = source[key];
  if (path.subAttribute === undefined) {
    target[key] = value;
    return;
  }
  const sub = path.subAttribute;
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[key])
      ? (target[key] as JsonObject[])
      : value.map((): JsonObject => ({}));
    value.forEach((element: unknown, i) => {
      if (!isJsonObject(element)) return;
      const subKey = findKey(element, sub);
      const into = existing[i];
      if (subKey !== undefined && into) into[subKey] = element[subKey];
    });
    target[key] = existing;
  } else if (isJsonObject(value)) {
    const into: JsonObject = isJsonObject(target[key]) ? target[key] : {};
    const subKey = findKey(value, sub);
    if (subKey !== undefined) into[subKey] = value[subKey];
    target[key] = into;
  }
}

function drop(resource: JsonObject, path: AttributePath): void {
  const container = containerOf(resource, path, false);
  if (!container) return;
  const key = findKey(container, path.attribute);
  if (key === undefined || ALWAYS.has(key.toLowerCase())) return;
  if (path.subAttribute === undefined) {
    Reflect.deleteProperty(container, key);
    return;
  }
  const value = container[key];
  for (const element of Array.isArray(value) ? (value as unknown[]) : [value]) {
    if (!isJsonObject(element)) continue;
    const subKey = findKey(element, path.subAttribute);
    if (subKey !== undefined) Reflect.deleteProperty(element, subKey);
  }
}

/** The resource with only the attributes asked for, or without those excluded (a copy). */
export function projectResource(resource: JsonObject, projection: Projection): JsonObject {
  if (projection.attributes !== undefined) {
    const out: JsonObject = {};
    for (const key of Object.keys(resource)) if (ALWAYS.has(key.toLowerCase())) out[key] = resource[key];
    for (const path of projection.attributes) {
      if (isCoreSchema(path.schema)) {
        pick(resource, out, path);
        continue;
      }
      const schema = path.schema ?? "";
      const extension = getIgnoringCase(resource, schema);
      if (!isJsonObject(extension)) continue;
      const key = findKey(resource, schema) ?? schema;
      const into = isJsonObject(out[key]) ? out[key] : {};
      pick(extension, into, path);
      out[key] = into;
    }
    return out;
  }
  const copy = structuredClone(resource);
  for (const path of projection.excludedAttributes ?? []) drop(copy, path);
  return copy;
}
