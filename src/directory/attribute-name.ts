import { AppError } from "../errors/app-error.js";

export interface AttributeName {
  /** The name as first written, trimmed; what the console shows. */
  readonly name: string;
  /** The key a definition is found by, so `Department` and `department ` are one attribute. */
  readonly key: string;
}

export const MAX_ATTRIBUTE_NAME_LENGTH = 100;

export function parseAttributeName(text: string): AttributeName {
  const name = text.trim().replace(/\s+/g, " ");
  if (name.length === 0 || name.length > MAX_ATTRIBUTE_NAME_LENGTH) {
    throw new AppError("attribute_name_invalid", `"${text}" is not a valid attribute name.`, { name: text });
  }
  return { name, key: name.toLowerCase() };
}
