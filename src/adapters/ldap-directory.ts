import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client, InvalidCredentialsError } from "ldapts";
import type { DirectoryEntry } from "../directory/ldap-mapping.js";
import { AppError } from "../errors/app-error.js";

/** How to reach and read one directory; the password is already decrypted by the caller. */
export interface LdapReadRequest {
  readonly url: string;
  readonly startTls: boolean;
  readonly caFile: string | null;
  readonly bindDn: string;
  readonly bindPassword: string;
  readonly baseDn: string;
  readonly filter: string;
  readonly attributes: readonly string[];
  /** Binary attributes (objectGUID): read as bytes and handed over as lower-case hex. */
  readonly binaryAttributes: readonly string[];
  readonly pageSize?: number;
  readonly timeoutMs?: number;
  /** Stop after this many entries (a connector test counts a bounded sample); all when absent. */
  readonly maxEntries?: number;
}

/** Reads every entry a connector's search matches; what syncAll calls (tests may pass another reader). */
export type DirectoryReader = (request: LdapReadRequest) => Promise<DirectoryEntry[]>;

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ETIMEDOUT",
  "EPIPE",
]);

function errorCodeOf(error: unknown): string {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "";
}

/** Turns a transport or protocol failure into one of our codes; the server's text goes into details. */
function classify(error: unknown, url: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InvalidCredentialsError) {
    return new AppError("ldap_bind_failed", "The LDAP server refused the bind DN and password.", { url });
  }
  const code = errorCodeOf(error);
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return new AppError("ldap_tls_failed", `TLS with ${url} failed: ${message}`, { url, reason: code });
  }
  if (NETWORK_CODES.has(code) || /timeout|closed|connect/i.test(message)) {
    return new AppError("ldap_unreachable", `${url} could not be reached: ${message}`, { url, reason: code });
  }
  return new AppError("ldap_search_failed", `The LDAP search failed: ${message}`, { url, reason: message });
}

function toStrings(value: Buffer | Buffer[] | string[] | string, binary: boolean): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === "string" ? v : binary ? v.toString("hex") : v.toString("utf8")));
}

/** The real reader, over ldapts: bind, then a paged subtree search (RFC 2696) streamed page by page. */
export const readLdapDirectory: DirectoryReader = async (request) => {
  const tlsOptions: ConnectionOptions | undefined =
    request.caFile === null ? undefined : { ca: [readFileSync(request.caFile)] };
  const client = new Client({
    url: request.url,
    timeout: request.timeoutMs ?? 60_000,
    connectTimeout: request.timeoutMs ?? 10_000,
    ...(tlsOptions ? { tlsOptions } : {}),
  });
  const binary = new Set(request.binaryAttributes.map((a) => a.toLowerCase()));
  const entries: DirectoryEntry[] = [];
  try {
    if (request.startTls) await client.startTLS(tlsOptions ?? {});
    await client.bind(request.bindDn, request.bindPassword);
    const pages = client.searchPaginated(request.baseDn, {
      scope: "sub",
      filter: request.filter,
      attributes: [...request.attributes],
      explicitBufferAttributes: [...request.binaryAttributes],
      paged: { pageSize: request.pageSize ?? 1000 },
    });
    const max = request.maxEntries ?? Infinity;
    for await (const page of pages) {
      for (const raw of page.searchEntries.slice(0, max - entries.length)) {
        const attributes = new Map<string, string[]>();
        for (const [name, value] of Object.entries(raw)) {
          if (name === "dn") continue;
          const key = name.toLowerCase();
          attributes.set(key, [...(attributes.get(key) ?? []), ...toStrings(value, binary.has(key))]);
        }
        entries.push({ dn: raw.dn, attributes });
      }
      // Leaving the loop ends the paged search: no further page is asked for.
      if (entries.length >= max) break;
    }
    return entries;
  } catch (error) {
    throw classify(error, request.url);
  } finally {
    await client.unbind().catch(() => undefined);
  }
};
