import { existsSync } from "node:fs";
import { AppError } from "../../errors/app-error.js";
import { findConnectorByNameKey, type ConnectorRow } from "../../store/connectors-repository.js";
import type { Executor } from "../../store/schema.js";

// A connector's settings as every door gives them (add and edit, CLI and API): each checked here once.

/** An account's connectors are read one after the other by every Sync All: a handful, never thousands. */
export const MAX_CONNECTORS_PER_ACCOUNT = 100;

export function parseConnectorName(text: string): { name: string; key: string } {
  const name = text.trim();
  if (name.length === 0 || name.length > 100) {
    throw new AppError("connector_name_invalid", "A connector name must be 1 to 100 characters.", {
      name: text,
    });
  }
  return { name, key: name.toLowerCase() };
}

export function parseLdapUrl(text: string): string {
  const url = text.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError("connector_url_invalid", `"${text}" is not an LDAP URL.`, { url: text });
  }
  if ((parsed.protocol !== "ldap:" && parsed.protocol !== "ldaps:") || parsed.hostname.length === 0) {
    throw new AppError("connector_url_invalid", `"${text}" is not ldap:// or ldaps://.`, { url: text });
  }
  return `${parsed.protocol}//${parsed.host}`;
}

export function requireSetting(value: string, setting: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new AppError("connector_setting_invalid", `The connector needs ${setting}.`, { setting });
  }
  return trimmed;
}

export function parseFilter(text: string): string {
  const filter = text.trim();
  if (!filter.startsWith("(") || !filter.endsWith(")")) {
    throw new AppError("connector_setting_invalid", "An LDAP filter is written in parentheses (RFC 4515).", {
      setting: "filter",
    });
  }
  return filter;
}

/** A CA file is read by the server at each sync: it must exist where the server runs. */
export function checkCaFile(caFile: string | null): string | null {
  if (caFile !== null && !existsSync(caFile)) {
    throw new AppError("connector_setting_invalid", `The CA file ${caFile} does not exist.`, {
      setting: "ca",
    });
  }
  return caFile;
}

export function checkStartTls(url: string, startTls: boolean): void {
  if (url.startsWith("ldaps:") && startTls) {
    throw new AppError("connector_setting_invalid", "StartTLS is for ldap://; ldaps:// is TLS already.", {
      setting: "start-tls",
    });
  }
}

/** The account's connector of that name (any case), or connector_not_found. */
export async function findConnectorNamed(
  db: Executor,
  accountId: string,
  text: string,
): Promise<ConnectorRow> {
  const connector = await findConnectorByNameKey(db, accountId, text.trim().toLowerCase());
  if (!connector) {
    throw new AppError("connector_not_found", `The account has no connector named ${text}.`, { name: text });
  }
  return connector;
}
