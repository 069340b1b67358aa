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

// Words that name a secret in the languages our administrators write headers in. Matched on the name
// without spaces, dashes and underscores, so "Initial Password", "initial_pwd" and "PassWord2" all match.
const SECRET_WORDS =
  /(password|passwd|passwort|passcode|passphrase|pwd|secret|kennwort|motdepasse|contrasena|contraseña|senha|wachtwoord|losenord|lösenord)/;

/**
 * A custom attribute is stored and shown as plain text: a name that reads like a password column means the
 * sheet would put a secret there. Refused wherever an attribute is created (an import header, the API).
 */
export function looksLikeSecret(name: string): boolean {
  return SECRET_WORDS.test(name.toLowerCase().replace(/[\s_.-]+/g, ""));
}

/** The longest value an attribute holds, in characters (the API's limit, and now the import's too). */
export const MAX_ATTRIBUTE_VALUE_LENGTH = 1000;

/** Counted in characters, not UTF-16 units; a value that short in units cannot be too long. */
export function isAttributeValueTooLong(value: string): boolean {
  if (value.length <= MAX_ATTRIBUTE_VALUE_LENGTH) return false;
  // Each code point is one character; a surrogate pair is two units of one.
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) i++;
    if (++count > MAX_ATTRIBUTE_VALUE_LENGTH) return true;
  }
  return false;
}
