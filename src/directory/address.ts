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
  const rawDomain = address.slice(at + 1);
  const domain = domainOf(rawDomain);
  if (domain === undefined || rawDomain.endsWith(".")) return undefined;
  const normalized = `${local}@${domain}`;
  const lowerLocal = local.toLowerCase();
  // One string for both when the address is in lower case already, as most are.
  return { address: normalized, key: lowerLocal === local ? normalized : `${lowerLocal}@${domain}`, domain };
}

// An import parses hundreds of thousands of addresses in a handful of domains: each domain's text is checked
// once, and its addresses share one domain string. Bounded, since the texts come from input.
const domainMemo = new Map<string, string | undefined>();
const DOMAIN_MEMO_SIZE = 256;

function domainOf(text: string): string | undefined {
  if (domainMemo.has(text)) return domainMemo.get(text);
  const domain = normalizeDomain(text);
  if (domainMemo.size >= DOMAIN_MEMO_SIZE) domainMemo.clear();
  domainMemo.set(text, domain);
  return domain;
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
