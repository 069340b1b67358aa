import type { Filter } from "./filter.js";

/** An equality the store can look up by index instead of scanning: the rest of the filter is checked after. */
export type IndexedTerm =
  | { readonly kind: "address"; readonly value: string }
  | { readonly kind: "externalId"; readonly value: string }
  | { readonly kind: "id"; readonly value: string }
  | { readonly kind: "displayName"; readonly value: string };

function termOf(filter: Filter): IndexedTerm | undefined {
  if (filter.kind === "valuePath" && filter.path.attribute.toLowerCase() === "emails") {
    const inner = termOf(filter.filter);
    return inner?.kind === "id" ? undefined : inner;
  }
  if (filter.kind !== "compare" || filter.op !== "eq" || typeof filter.value !== "string") return undefined;
  const name = filter.path.attribute.toLowerCase();
  const sub = filter.path.subAttribute?.toLowerCase();
  if (name === "username" || (name === "emails" && (sub === undefined || sub === "value"))) {
    return { kind: "address", value: filter.value };
  }
  // Inside emails[...]: `value eq "x"`.
  if (name === "value" && sub === undefined) return { kind: "address", value: filter.value };
  if (name === "externalid") return { kind: "externalId", value: filter.value };
  if (name === "id") return { kind: "id", value: filter.value };
  if (name === "displayname") return { kind: "displayName", value: filter.value };
  return undefined;
}

/**
 * An equality the whole filter implies (itself, or one side of an `and`): the candidates come from it, and
 * every candidate is then checked against the whole filter. Undefined when the filter needs a scan.
 */
export function findIndexedTerm(filter: Filter): IndexedTerm | undefined {
  if (filter.kind === "and") return findIndexedTerm(filter.left) ?? findIndexedTerm(filter.right);
  return termOf(filter);
}
