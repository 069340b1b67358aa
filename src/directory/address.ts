import { AppError } from "../errors/app-error.js";

/** An e-mail address as given, with the key that makes it unique system-wide (RFC 5321 local parts may be
 * case-sensitive, but every gateway console compares them ignoring case, and so do we). */
export interface Address {
  readonly address: string;
  readonly key: string;
  readonly domain: string;
}

// A pragmatic dot-atom local part (RFC 5322 3.2.3) and a host name of LDH labels; no quoted local parts.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Returns the lower-case domain, or undefined when the text is not a host name with at least two labels. */
export function normalizeDomain(text: string): string | undefined {
  const domain = text.trim().replace(/\.$/, "").toLowerCase();
  if (domain.length === 0 || domain.length > 253) return undefined;
  const labels = domain.split(".");
  if (labels.length < 2) return undefined;
  if (!labels.every((label) => LABEL.test(label))) return undefined;
  // A top-level label of digits only would make an IP address look like a domain.
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? "")) return undefined;
  return domain;
}

/** Parses an address, or returns undefined when it is not one. */
export function tryParseAddress(text: string): Address | undefined {
  const address = text.trim();
  if (address.length > 254) return undefined;
  const at = address.lastIndexOf("@");
  if (at <= 0) return undefined;
  const local = address.slice(0, at);
  if (local.length > 64 || !LOCAL_PART.test(local)) return undefined;
  const domain = normalizeDomain(address.slice(at + 1));
  if (domain === undefined || address.slice(at + 1).endsWith(".")) return undefined;
  return { address: `${local}@${domain}`, key: `${local.toLowerCase()}@${domain}`, domain };
}

/** Parses an address or refuses it with `address_invalid`. */
export function parseAddress(text: string): Address {
  const parsed = tryParseAddress(text);
  if (!parsed)
    throw new AppError("address_invalid", `"${text}" is not a valid e-mail address.`, { address: text });
  return parsed;
}

/** The key under which an address is unique; use it for look-ups of text that may not be valid. */
export function addressKey(text: string): string {
  return text.trim().toLowerCase();
}
