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
  countConnectors,
  findConnectorByNameKey,
  insertConnector,
  listConnectors as listConnectorRows,
  type ConnectorRow,
} from "../../store/connectors-repository.js";
import { findAccountById } from "../../store/accounts-repository.js";
import { findLatestFinishedSyncRun } from "../../store/sync-runs-repository.js";
import type { Executor } from "../../store/schema.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, writeAudit, type ServiceContext } from "../context.js";
import {
  MAX_CONNECTORS_PER_ACCOUNT,
  checkCaFile,
  checkStartTls,
  parseConnectorName,
  parseFilter,
  parseLdapUrl,
  requireSetting,
} from "./connector-settings.js";
import { connectorReadsOf } from "./sync-run-views.js";
import type {
  AddConnectorRequest,
  ConnectorLastRun,
  ConnectorView,
  SyncRunState,
} from "./sync-view-schemas.js";

export type { AddConnectorRequest, ConnectorLastRun, ConnectorView } from "./sync-view-schemas.js";

function viewOfMapping(mapping: AttributeMapping): ConnectorView["attributes"] {
  return {
    id: mapping.id,
    primary: mapping.primary,
    aliases: [...mapping.aliases],
    proxyAddresses: [...mapping.proxyAddresses],
    names: [...mapping.names],
  };
}

export function mapConnector(
  row: ConnectorRow,
  accountCode: string,
  lastRun: ConnectorLastRun | null = null,
): ConnectorView {
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
    attributes: viewOfMapping(parseAttributeMapping(row.attribute_map_json)),
    removeMissing: row.remove_missing === 1,
    lastRun,
  };
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
  const filter = parseFilter(request.filter ?? DEFAULT_FILTERS[kind]);
  const caFile = checkCaFile(request.caFile ?? null);
  checkStartTls(url, request.startTls === true);
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    if ((await countConnectors(tx, account.id)) >= MAX_CONNECTORS_PER_ACCOUNT) {
      throw new AppError(
        "connector_limit_reached",
        `The account has ${MAX_CONNECTORS_PER_ACCOUNT} connectors: remove one before adding another.`,
        { limit: MAX_CONNECTORS_PER_ACCOUNT },
      );
    }
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

/** The last finished run of the account, as each of its connectors shows it. */
async function lastRunsOf(
  db: Executor,
  accountId: string,
): Promise<(connectorId: string) => ConnectorLastRun | null> {
  const run = await findLatestFinishedSyncRun(db, accountId);
  if (!run) return () => null;
  const reads = new Map(connectorReadsOf(run).map((r) => [r.id, r]));
  return (connectorId) => {
    const read = reads.get(connectorId);
    if (!read) return null;
    return {
      runId: run.id,
      state: run.state as SyncRunState,
      startedAt: run.started_at,
      finishedAt: run.finished_at,
      created: run.created,
      updated: run.updated,
      reclaimed: run.reclaimed,
      flagged: run.flagged,
      removed: run.removed,
      errorCount: run.error_count,
      entries: read.entries,
      error: read.error,
    };
  };
}

/**
 * `connectors list` and GET /connectors: the connectors of the account named (or of every account, for the
 * operator who names none), each with its last run; needs run_directory_sync there. Never a password.
 */
export async function listConnectors(
  context: ServiceContext,
  request: { account?: string | undefined },
): Promise<ConnectorView[]> {
  const everyAccount = request.account === undefined && context.actor.kind === "system";
  let accountId: string | undefined;
  if (!everyAccount) {
    const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
    await authorize(context.db, context.actor, account.id, "run_directory_sync");
    accountId = account.id;
  }
  const rows = await listConnectorRows(context.db, accountId);
  const accounts = new Map<string, { code: string; lastRun: (id: string) => ConnectorLastRun | null }>();
  const views: ConnectorView[] = [];
  for (const row of rows) {
    let account = accounts.get(row.account_id);
    if (account === undefined) {
      const code = (await findAccountById(context.db, row.account_id))?.code ?? "";
      account = { code, lastRun: await lastRunsOf(context.db, row.account_id) };
      accounts.set(row.account_id, account);
    }
    views.push(mapConnector(row, account.code, account.lastRun(row.id)));
  }
  return views;
}
