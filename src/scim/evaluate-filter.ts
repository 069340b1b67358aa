import type { AttributePath } from "./attribute-path.js";
import type { Filter, FilterValue } from "./filter.js";
import { containerOf, getIgnoringCase, isJsonObject, valuesAt, type JsonObject } from "./json-resource.js";

/** Whether comparisons on the attribute respect case (RFC 7643 caseExact): ids, externalId, values. */
export type CaseExactLookup = (path: AttributePath) => boolean;

function compareStrings(a: string, b: string, caseExact: boolean): [string, string] {
  return caseExact ? [a, b] : [a.toLowerCase(), b.toLowerCase()];
}

/** A boolean given as a string ("False", "true") counts as the boolean: Entra sends them so. */
function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  return undefined;
}

function compareOne(actual: unknown, op: string, expected: FilterValue, caseExact: boolean): boolean {
  if (expected === null) return op === "eq" ? actual === null : op === "ne" ? actual !== null : false;
  if (typeof expected === "boolean") {
    const given = asBoolean(actual);
    if (given === undefined) return op === "ne";
    return op === "eq" ? given === expected : op === "ne" ? given !== expected : false;
  }
  if (typeof expected === "number") {
    if (typeof actual !== "number") return op === "ne";
    return compareOrdered(actual, op, expected);
  }
  if (typeof actual !== "string") return op === "ne";
  const [a, b] = compareStrings(actual, expected, caseExact);
  switch (op) {
    case "co":
      return a.includes(b);
    case "sw":
      return a.startsWith(b);
    case "ew":
      return a.endsWith(b);
    default:
      // dateTime values are ISO-8601 in UTC, so text order is time order.
      return compareOrdered(a, op, b);
  }
}

/** eq, ne and the orderings, alike for numbers and for strings; false for any other operator. */
function compareOrdered<T extends number | string>(a: T, op: string, b: T): boolean {
  switch (op) {
    case "eq":
      return a === b;
    case "ne":
      return a !== b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    default:
      return false;
  }
}

function isPresent(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isJsonObject(value)) return Object.keys(value).length > 0;
  return true;
}

/** Whether the resource (or an element of a multi-valued attribute) matches the filter. */
export function matchesFilter(filter: Filter, resource: JsonObject, caseExact: CaseExactLookup): boolean {
  switch (filter.kind) {
    case "and":
      return (
        matchesFilter(filter.left, resource, caseExact) && matchesFilter(filter.right, resource, caseExact)
      );
    case "or":
      return (
        matchesFilter(filter.left, resource, caseExact) || matchesFilter(filter.right, resource, caseExact)
      );
    case "not":
      return !matchesFilter(filter.filter, resource, caseExact);
    case "present":
      return valuesAt(resource, filter.path).some(isPresent);
    case "compare": {
      const values = valuesAt(resource, filter.path);
      const exact = caseExact(filter.path);
      // "ne" holds when no value equals (an absent attribute is not equal to anything).
      if (filter.op === "ne") return !values.some((v) => compareOne(v, "eq", filter.value, exact));
      return values.some((v) => compareOne(v, filter.op, filter.value, exact));
    }
    case "valuePath": {
      const container = containerOf(resource, filter.path, false);
      const top = container === undefined ? undefined : getIgnoringCase(container, filter.path.attribute);
      const items = Array.isArray(top) ? (top as unknown[]) : top === undefined ? [] : [top];
      const inner: CaseExactLookup = (path) =>
        caseExact({
          schema: filter.path.schema,
          attribute: filter.path.attribute,
          subAttribute: path.attribute,
        });
      return items.some((item) => isJsonObject(item) && matchesFilter(filter.filter, item, inner));
    }
  }
}
