import { AppError } from "../errors/app-error.js";
import { RESOURCE_SCHEMAS } from "./scim-urns.js";

/** An attribute as a filter or a PATCH path names it: `name.givenName`, `urn:...:User:department`. */
export interface AttributePath {
  /** The schema URN when the path is fully qualified (extension attributes always live under theirs). */
  readonly schema?: string | undefined;
  readonly attribute: string;
  readonly subAttribute?: string | undefined;
}

// ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA (RFC 7643 2.1); "$ref" is the one
// name with a "$" in it.
const NAME = /^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;

/**
 * Parses `attr`, `attr.sub` or `urn:...:attr(.sub)`. A URN prefix is matched against the schemas we know
 * (whose ids hold dots and colons) and otherwise split at its last colon.
 */
export function parseAttributePath(
  text: string,
  code: "scim_filter_invalid" | "scim_path_invalid" | "scim_value_invalid",
): AttributePath {
  let schema: string | undefined;
  let rest = text;
  if (text.toLowerCase().startsWith("urn:")) {
    const known = RESOURCE_SCHEMAS.find(
      (urn) => text.length > urn.length && text.toLowerCase().startsWith(`${urn.toLowerCase()}:`),
    );
    const cut = known === undefined ? text.lastIndexOf(":") : known.length;
    schema = known ?? text.slice(0, cut);
    rest = text.slice(cut + 1);
  }
  const parts = rest.split(".");
  const [attribute = "", subAttribute, ...more] = parts;
  if (!NAME.test(attribute) || (subAttribute !== undefined && !NAME.test(subAttribute)) || more.length > 0) {
    throw new AppError(code, `"${text.slice(0, 200)}" is not an attribute path.`, {
      path: text.slice(0, 200),
    });
  }
  return { schema, attribute, subAttribute };
}

export function formatAttributePath(path: AttributePath): string {
  const name = path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`;
  return path.schema === undefined ? name : `${path.schema}:${name}`;
}
