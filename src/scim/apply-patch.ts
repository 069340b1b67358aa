import { AppError } from "../errors/app-error.js";
import type { AttributePath } from "./attribute-path.js";
import { matchesFilter, type CaseExactLookup } from "./evaluate-filter.js";
import type { Filter } from "./filter.js";
import { containerOf, findKey, getIgnoringCase, isJsonObject, type JsonObject } from "./json-resource.js";
import { parsePatchPath, type PatchPath } from "./patch-path.js";
import type { AttributeDefinition } from "./schema-definitions.js";
import { PATCH_OP } from "./scim-urns.js";

export type PatchOp = "add" | "replace" | "remove";

export interface PatchOperation {
  readonly op: PatchOp;
  readonly path?: PatchPath | undefined;
  readonly value?: unknown;
}

/** What the patch needs to know of the resource's schemas. */
export interface PatchSchema {
  readonly definitionOf: (path: AttributePath) => AttributeDefinition | undefined;
  readonly caseExact: CaseExactLookup;
  /** The resource's id: a no-path value may restate it (Okta's group rename does), never change it. */
  readonly id: string;
}

export const MAX_PATCH_OPERATIONS = 1000;

const syntax = (message: string) => new AppError("scim_syntax_invalid", message, {});

/**
 * Reads a PatchOp message. The op is taken in any case ("Replace", "Add": Entra's habit before
 * aadOptscim062020), and the schemas list may be left out.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) throw syntax("A PATCH body is a PatchOp message (a JSON object).");
  const schemas = getIgnoringCase(body, "schemas");
  if (
    Array.isArray(schemas) &&
    !schemas.some((s) => typeof s === "string" && s.toLowerCase() === PATCH_OP.toLowerCase())
  ) {
    throw syntax(`A PATCH body's schemas must name ${PATCH_OP}.`);
  }
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0)
    throw syntax("A PatchOp needs a list of Operations.");
  if (operations.length > MAX_PATCH_OPERATIONS) {
    throw syntax(`A PatchOp holds at most ${MAX_PATCH_OPERATIONS} operations.`);
  }
  return operations.map((raw: unknown) => {
    if (!isJsonObject(raw)) throw syntax("Each operation is an object with op, path and value.");
    const op = getIgnoringCase(raw, "op");
    const kind = typeof op === "string" ? op.toLowerCase() : "";
    if (kind !== "add" && kind !== "replace" && kind !== "remove") {
      throw new AppError(
        "scim_syntax_invalid",
        `The op "${String(op).slice(0, 20)}" is not add, replace or remove.`,
        {},
      );
    }
    const path = getIgnoringCase(raw, "path");
    if (path !== undefined && typeof path !== "string")
      throw new AppError("scim_path_invalid", "A path is a string.", {});
    return {
      op: kind,
      path: path === undefined || path.trim() === "" ? undefined : parsePatchPath(path),
      value: getIgnoringCase(raw, "value"),
    };
  });
}

/** "True"/"False" strings where the schema says boolean (Entra sends "False"); recursively for sub-attributes. */
export function coerceToDefinition(definition: AttributeDefinition | undefined, value: unknown): unknown {
  if (!definition) return value;
  if (Array.isArray(value))
    return value.map((v) => coerceToDefinition({ ...definition, multiValued: false }, v));
  if (definition.type === "boolean" && typeof value === "string" && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === "true";
  }
  if (definition.type === "complex" && isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, sub] of Object.entries(value)) {
      const subDefinition = definition.subAttributes?.find((a) => a.name.toLowerCase() === key.toLowerCase());
      out[key] = coerceToDefinition(subDefinition, sub);
    }
    return out;
  }
  return value;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]);

/** Elements equal by their `value` sub-attribute when they have one, else as JSON. */
function sameElement(a: unknown, b: unknown): boolean {
  if (isJsonObject(a) && isJsonObject(b)) {
    const av = getIgnoringCase(a, "value");
    const bv = getIgnoringCase(b, "value");
    if (av !== undefined || bv !== undefined) return av === bv;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** At most one element of a multi-valued attribute is primary (RFC 7643 2.4): the last one set wins. */
function keepOnePrimary(list: unknown[], chosen: readonly unknown[]): void {
  const winner = [...chosen].reverse().find((e) => isJsonObject(e) && getIgnoringCase(e, "primary") === true);
  if (!winner) return;
  for (const element of list) {
    if (element !== winner && isJsonObject(element) && getIgnoringCase(element, "primary") === true) {
      element[findKey(element, "primary") ?? "primary"] = false;
    }
  }
}

/** The element an add or replace makes when a filter like `type eq "work"` matches none (Entra relies on it). */
function elementFromFilter(filter: Filter): JsonObject | undefined {
  if (filter.kind === "compare" && filter.op === "eq" && filter.path.subAttribute === undefined) {
    return { [filter.path.attribute]: filter.value };
  }
  if (filter.kind === "and") {
    const left = elementFromFilter(filter.left);
    const right = elementFromFilter(filter.right);
    return left && right ? { ...left, ...right } : undefined;
  }
  return undefined;
}

function setKey(object: JsonObject, name: string, value: unknown): void {
  object[findKey(object, name) ?? name] = value;
}

function deleteKey(object: JsonObject, name: string): void {
  const key = findKey(object, name);
  if (key !== undefined) Reflect.deleteProperty(object, key);
}

class Patcher {
  constructor(
    private readonly resource: JsonObject,
    private readonly schema: PatchSchema,
  ) {}

  apply(operation: PatchOperation): void {
    if (operation.path) {
      this.applyAt(operation.op, operation.path, operation.value);
      return;
    }
    if (operation.op === "remove") throw new AppError("scim_no_target", "A remove names its path.", {});
    if (!isJsonObject(operation.value)) {
      throw new AppError("scim_value_invalid", "An add or replace without a path takes an object value.", {});
    }
    for (const [key, value] of Object.entries(operation.value)) this.applyKey(operation.op, key, value);
  }

  /** A key of a no-path value: an attribute, a dotted or filtered path (Entra), or an extension's object. */
  private applyKey(op: PatchOp, key: string, value: unknown): void {
    const lower = key.toLowerCase();
    if (lower === "schemas" || lower === "meta") return;
    if (lower === "id") {
      if (value !== this.schema.id)
        throw new AppError("scim_mutability", "A resource's id never changes.", {});
      return;
    }
    if (lower.startsWith("urn:") && isJsonObject(value) && !/\.|\[/.test(key.slice(key.lastIndexOf(":")))) {
      const probe = parsePatchPath(key);
      // `urn:...:User` with an object: the extension's attributes, each set as if named in full.
      if (this.schema.definitionOf(probe.target) === undefined) {
        for (const [sub, subValue] of Object.entries(value)) this.applyKey(op, `${key}:${sub}`, subValue);
        return;
      }
    }
    this.applyAt(op, parsePatchPath(key), value);
  }

  private applyAt(op: PatchOp, path: PatchPath, rawValue: unknown): void {
    const definition = this.schema.definitionOf(path.target);
    if (definition?.mutability === "readOnly" || path.target.attribute.toLowerCase() === "id") {
      throw new AppError("scim_mutability", `${path.target.attribute} is read-only.`, {
        path: path.target.attribute,
      });
    }
    const container = containerOf(this.resource, path.target, op !== "remove");
    if (!container) return;
    const name = path.target.attribute;
    const current = getIgnoringCase(container, name);
    const multiValued = definition?.multiValued ?? Array.isArray(current);
    const subDefinition =
      path.subAttribute === undefined
        ? undefined
        : definition?.subAttributes?.find((a) => a.name.toLowerCase() === path.subAttribute?.toLowerCase());
    const value = coerceToDefinition(path.subAttribute === undefined ? definition : subDefinition, rawValue);
    if (path.filter) {
      this.applyFiltered(op, container, name, path, value, current);
      return;
    }
    if (path.subAttribute !== undefined) {
      const targets = Array.isArray(current) ? (current as unknown[]) : [current];
      if (!Array.isArray(current) && !isJsonObject(current)) {
        if (op === "remove") return;
        const made: JsonObject = {};
        setKey(container, name, made);
        targets[0] = made;
      }
      for (const target of targets) {
        if (!isJsonObject(target)) continue;
        if (op === "remove") deleteKey(target, path.subAttribute);
        else setKey(target, path.subAttribute, value);
      }
      return;
    }
    if (multiValued) {
      const list = Array.isArray(current) ? [...(current as unknown[])] : [];
      if (op === "remove") {
        // Removing given values from a list (Entra's and Okta's members removal) rather than all of it.
        if (rawValue === undefined || rawValue === null) deleteKey(container, name);
        else {
          const gone = asList(value);
          setKey(
            container,
            name,
            list.filter((e) => !gone.some((g) => sameElement(e, g))),
          );
        }
        return;
      }
      const added = asList(value);
      if (op === "replace") {
        setKey(container, name, added);
        keepOnePrimary(added, added);
        return;
      }
      for (const element of added) if (!list.some((e) => sameElement(e, element))) list.push(element);
      keepOnePrimary(list, added);
      setKey(container, name, list);
      return;
    }
    if (op === "remove") {
      deleteKey(container, name);
    } else if (isJsonObject(value) && isJsonObject(current)) {
      // Replacing a complex attribute sets the sub-attributes given and keeps the others (RFC 7644 3.5.2.3).
      setKey(container, name, { ...current, ...value });
    } else {
      setKey(container, name, value);
    }
  }

  private applyFiltered(
    op: PatchOp,
    container: JsonObject,
    name: string,
    path: PatchPath,
    value: unknown,
    current: unknown,
  ): void {
    const filter = path.filter as Filter;
    const list = Array.isArray(current) ? [...(current as unknown[])] : [];
    const inner: CaseExactLookup = (p) =>
      this.schema.caseExact({ schema: path.target.schema, attribute: name, subAttribute: p.attribute });
    const matches = list.filter((e) => isJsonObject(e) && matchesFilter(filter, e, inner));
    if (op === "remove") {
      if (path.subAttribute === undefined)
        setKey(
          container,
          name,
          list.filter((e) => !matches.includes(e)),
        );
      else for (const m of matches) deleteKey(m as JsonObject, path.subAttribute);
      return;
    }
    if (matches.length === 0) {
      const made = elementFromFilter(filter);
      if (!made) throw new AppError("scim_no_target", "The path's filter matches no value.", {});
      list.push(made);
      matches.push(made);
    }
    for (const match of matches) {
      const element = match as JsonObject;
      if (path.subAttribute !== undefined) setKey(element, path.subAttribute, value);
      else if (isJsonObject(value)) {
        const index = list.indexOf(match);
        list[index] = op === "replace" ? { ...value } : { ...element, ...value };
      } else
        throw new AppError(
          "scim_value_invalid",
          "A filtered path without a sub-attribute takes an object.",
          {},
        );
    }
    keepOnePrimary(list, matches);
    setKey(container, name, list);
  }
}

/** The resource after the operations, applied in order (a copy: the input is left as it is). */
export function applyPatch(
  resource: JsonObject,
  operations: readonly PatchOperation[],
  schema: PatchSchema,
): JsonObject {
  const copy = structuredClone(resource);
  const patcher = new Patcher(copy, schema);
  for (const operation of operations) patcher.apply(operation);
  return copy;
}
