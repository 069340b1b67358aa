import { existsSync } from "node:fs";
import type { SecretBox } from "../../adapters/secret-box.js";
import {
  DEFAULT_FILTERS,
  DEFAULT_MAPPINGS,
  parseAttributeMapping,
  parseConnectorType,
  type AttributeMapping,
  type DirectoryKind,
} from "../../directory/ldap-mapping.js";
import { AppError } from "../../errors/app-error.js";
import {
  findConnectorByNameKey,
  insertConnector,
  listConnectors as listConnectorRows,
  type ConnectorRow,
} from "../../store/connectors-repository.js";
import { findAccountById } from "../../store/accounts-repository.js";
import { resolveAccountIfNamed, resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, writeAudit, type ServiceContext } from "../context.js";

export interface AddConnectorRequest {
  name: string;
  type: string;
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  filter?: string | undefined;
  startTls?: boolean | undefined;
  caFile?: string | undefined;
  removeMissing?: boolean | undefined;
  account?: string | undefined;
}

/** A connector as shown: never the password, only that one is stored. */
export interface ConnectorView {
  name: string;
  account: string;
  type: DirectoryKind;
  url: string;
  startTls: boolean;
  caFile: string | null;
  bindDn: string;
  hasBindPassword: boolean;
  baseDn: string;
  filter: string;
  attributes: AttributeMapping;
  removeMissing: boolean;
}

export function mapConnector(row: ConnectorRow, accountCode: string): ConnectorView {
  return {
    name: row.name,
    account: accountCode,
    type: row.kind as DirectoryKind,
    url: row.url,
    startTls: row.start_tls === 1,
    caFile: row.ca_file,
    bindDn: row.bind_dn,
    hasBindPassword: row.bind_password_enc.length > 0,
    baseDn: row.base_dn,
    filter: row.filter,
    attributes: parseAttributeMapping(row.attribute_map_json),
    removeMissing: row.remove_missing === 1,
  };
}

function parseConnectorName(text: string): { name: string; key: string } {
  const name = text.trim();
  if (name.length === 0 || name.length > 100) {
    throw new AppError("connector_name_invalid", "A connector name must be 1 to 100 characters.", {
      name: text,
    });
  }
  return { name, key: name.toLowerCase() };
}

function parseLdapUrl(text: string): string {
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

function requireSetting(value: string, setting: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    throw new AppError("connector_setting_invalid", `The connector needs ${setting}.`, { setting });
  }
  return trimmed;
}

/** `connectors add`: stores the bind password sealed with the secret key; the password is never shown again. */
export async function addConnector(
  context: ServiceContext,
  secrets: SecretBox,
  request: AddConnectorRequest,
): Promise<ConnectorView> {
  const kind = parseConnectorType(request.type);
  const { name, key } = parseConnectorName(request.name);
  const url = parseLdapUrl(request.url);
  const bindDn = requireSetting(request.bindDn, "a bind DN");
  const baseDn = requireSetting(request.baseDn, "a base DN");
  requireSetting(request.bindPassword, "a bind password");
  const filter = request.filter?.trim() ?? DEFAULT_FILTERS[kind];
  if (!filter.startsWith("(") || !filter.endsWith(")")) {
    throw new AppError("connector_setting_invalid", "An LDAP filter is written in parentheses (RFC 4515).", {
      setting: "filter",
    });
  }
  const caFile = request.caFile ?? null;
  if (caFile !== null && !existsSync(caFile)) {
    throw new AppError("connector_setting_invalid", `The CA file ${caFile} does not exist.`, {
      setting: "ca",
    });
  }
  if (url.startsWith("ldaps:") && request.startTls === true) {
    throw new AppError("connector_setting_invalid", "StartTLS is for ldap://; ldaps:// is TLS already.", {
      setting: "start-tls",
    });
  }
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    if (await findConnectorByNameKey(tx, account.id, key)) {
      throw new AppError("connector_name_taken", `The account already has a connector named ${name}.`, {
        name,
      });
    }
    const id = newId();
    const now = context.now().toISOString();
    const row: ConnectorRow = {
      id,
      account_id: account.id,
      name,
      name_key: key,
      kind,
      url,
      start_tls: request.startTls === true ? 1 : 0,
      ca_file: caFile,
      bind_dn: bindDn,
      bind_password_enc: secrets.seal(request.bindPassword, id),
      base_dn: baseDn,
      filter,
      attribute_map_json: JSON.stringify(DEFAULT_MAPPINGS[kind]),
      remove_missing: request.removeMissing === true ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await insertConnector(tx, row);
    const view = mapConnector(row, account.code);
    await writeAudit(tx, context, actor, [
      { accountId: account.id, action: "connector.create", after: view },
    ]);
    return view;
  });
}

/** `connectors list`: every connector, or those of one account. */
export async function listConnectors(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<ConnectorView[]> {
  const account = await resolveAccountIfNamed(context.db, context.actor, request.account);
  const rows = await listConnectorRows(context.db, account?.id);
  const codes = new Map<string, string>();
  const views: ConnectorView[] = [];
  for (const row of rows) {
    let code = codes.get(row.account_id);
    if (code === undefined) {
      code = (await findAccountById(context.db, row.account_id))?.code ?? "";
      codes.set(row.account_id, code);
    }
    views.push(mapConnector(row, code));
  }
  return views;
}
