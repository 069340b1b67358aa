import { AppError } from "../errors/app-error.js";

/** The most redirect URIs one client registers: an application has a few (production, staging, local). */
export const MAX_REDIRECT_URIS = 20;
export const MAX_CLIENT_NAME = 100;
const MAX_URI_LENGTH = 2000;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function invalidUri(uri: string): AppError {
  return new AppError(
    "oidc_redirect_uri_invalid",
    `"${uri.slice(0, 200)}" is not a redirect URI: an absolute https URL (http only on localhost), without a fragment.`,
    { uri: uri.slice(0, 200) },
  );
}

/**
 * The redirect URIs of a client (OAuth 2.0 Security BCP, RFC 9700 2.1 and 4.1): absolute, compared exactly,
 * no fragment, https except on the loopback (a developer's machine). Returns them trimmed and de-duplicated.
 */
export function checkRedirectUris(uris: readonly string[]): string[] {
  const unique = [...new Set(uris.map((u) => u.trim()))];
  if (unique.length === 0 || unique.length > MAX_REDIRECT_URIS) {
    throw new AppError(
      "oidc_redirect_uri_invalid",
      `Give 1 to ${MAX_REDIRECT_URIS} redirect URIs (--redirect-uri URI, once for each).`,
      { count: unique.length },
    );
  }
  for (const uri of unique) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw invalidUri(uri);
    }
    const secure =
      url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
    if (!secure || uri.includes("#") || uri.length > MAX_URI_LENGTH || url.username !== "")
      throw invalidUri(uri);
  }
  return unique;
}

/** A client's name as an administrator sees it in lists and the audit: 1 to 100 characters. */
export function checkClientName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || Array.from(trimmed).length > MAX_CLIENT_NAME) {
    throw new AppError(
      "oidc_client_name_invalid",
      `A client name is 1 to ${MAX_CLIENT_NAME} characters.`,
      {},
    );
  }
  return trimmed;
}
