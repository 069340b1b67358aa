import { AppError } from "../errors/app-error.js";
import { parseAttributePath, type AttributePath } from "./attribute-path.js";
import { parseValueFilter, type Filter } from "./filter.js";

/** A PATCH path (RFC 7644 3.5.2): `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub`, maybe URN-qualified. */
export interface PatchPath {
  /** The attribute, without its sub-attribute. */
  readonly target: AttributePath;
  readonly filter?: Filter | undefined;
  readonly subAttribute?: string | undefined;
}

const MAX_PATH_LENGTH = 1000;

function invalid(text: string): AppError {
  return new AppError("scim_path_invalid", `"${text.slice(0, 200)}" is not a PATCH path.`, {
    path: text.slice(0, 200),
  });
}

export function parsePatchPath(text: string): PatchPath {
  if (text.length === 0 || text.length > MAX_PATH_LENGTH) throw invalid(text);
  const open = text.indexOf("[");
  if (open < 0) {
    const path = parseAttributePath(text.trim(), "scim_path_invalid");
    return {
      target: { schema: path.schema, attribute: path.attribute },
      subAttribute: path.subAttribute,
    };
  }
  const close = text.lastIndexOf("]");
  if (close < open) throw invalid(text);
  const head = parseAttributePath(text.slice(0, open).trim(), "scim_path_invalid");
  if (head.subAttribute !== undefined) throw invalid(text);
  const tail = text.slice(close + 1).trim();
  if (tail !== "" && !/^\.[A-Za-z$][A-Za-z0-9_$-]*$/.test(tail)) throw invalid(text);
  return {
    target: head,
    filter: parseValueFilter(text.slice(open + 1, close)),
    subAttribute: tail === "" ? undefined : tail.slice(1),
  };
}
