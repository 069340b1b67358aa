import type { SecretBox } from "../../adapters/secret-box.js";
import { AppError } from "../../errors/app-error.js";
import {
  findConnectorByNameKey,
  updateConnector as updateConnectorRow,
} from "../../store/connectors-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, writeAudit, type ServiceContext } from "../context.js";
import {
  checkCaFile,
  checkStartTls,
  findConnectorNamed,
  parseConnectorName,
  parseFilter,
  parseLdapUrl,
  requireSetting,
} from "./connector-settings.js";
import { mapConnector, type ConnectorView } from "./connectors.js";

/** The settings to change; what is left out stays. The kind stays too: it decides the immutable id. */
export interface UpdateConnectorRequest {
  name: string;
  account?: string | undefined;
  rename?: string | undefined;
  url?: string | undefined;
  bindDn?: string | undefined;
  /** Replaced only when given and not empty: a form never shows the stored one, so it sends none. */
  bindPassword?: string | undefined;
  baseDn?: string | undefined;
  filter?: string | undefined;
  startTls?: boolean | undefined;
  /** null: trust the system's CAs again. */
  caFile?: string | null | undefined;
  removeMissing?: boolean | undefined;
}

/**
 * `connectors update` and PATCH /connectors/{name}: changes a connector's settings. Its users' joins stay
 * (they hang on the connector's id, not its name or URL); the bind password is sealed again when replaced.
 */
export async function updateConnector(
  context: ServiceContext,
  secrets: SecretBox,
  request: UpdateConnectorRequest,
): Promise<ConnectorView> {
  return context.db.transaction().execute(async (tx) => {
    const account = await resolveAccountWithinReach(tx, context.actor, request.account);
    const actor = await authorize(tx, context.actor, account.id, "run_directory_sync");
    const row = await findConnectorNamed(tx, account.id, request.name);
    const before = mapConnector(row, account.code);
    const renamed = request.rename === undefined ? undefined : parseConnectorName(request.rename);
    if (
      renamed &&
      renamed.key !== row.name_key &&
      (await findConnectorByNameKey(tx, account.id, renamed.key))
    ) {
      throw new AppError(
        "connector_name_taken",
        `The account already has a connector named ${renamed.name}.`,
        {
          name: renamed.name,
        },
      );
    }
    const url = request.url === undefined ? row.url : parseLdapUrl(request.url);
    const startTls = request.startTls ?? row.start_tls === 1;
    checkStartTls(url, startTls);
    const password = request.bindPassword ?? "";
    const changes = {
      name: renamed?.name ?? row.name,
      name_key: renamed?.key ?? row.name_key,
      url,
      start_tls: startTls ? 1 : 0,
      ca_file: request.caFile === undefined ? row.ca_file : checkCaFile(request.caFile),
      bind_dn: request.bindDn === undefined ? row.bind_dn : requireSetting(request.bindDn, "a bind DN"),
      bind_password_enc: password.length > 0 ? secrets.seal(password, row.id) : row.bind_password_enc,
      base_dn: request.baseDn === undefined ? row.base_dn : requireSetting(request.baseDn, "a base DN"),
      filter: request.filter === undefined ? row.filter : parseFilter(request.filter),
      remove_missing:
        request.removeMissing === undefined ? row.remove_missing : request.removeMissing ? 1 : 0,
      updated_at: context.now().toISOString(),
    };
    await updateConnectorRow(tx, row.id, changes);
    const after = mapConnector({ ...row, ...changes }, account.code);
    await writeAudit(tx, context, actor, [
      {
        accountId: account.id,
        action: "connector.update",
        before,
        // Whether the password changed, never the password.
        after: { ...after, bindPasswordReplaced: password.length > 0 },
      },
    ]);
    return after;
  });
}
