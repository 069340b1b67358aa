import { newUserRow, type NewUserRow } from "../../directory/new-user-row.js";
import type { SyncPlan, SyncSnapshot } from "../../directory/plan-sync.js";
import {
  insertAddresses,
  deleteAddressesOfUsers,
  type AddressRow,
} from "../../store/addresses-repository.js";
import { insertUsersBulk, deleteUsers, updateUserIdentitiesBulk } from "../../store/users-repository.js";
import {
  insertConnectorUsers,
  setMissingSince,
  updateConnectorUserDns,
  type ConnectorUserRow,
} from "../../store/connectors-repository.js";
import { addressRows } from "../users/address-rows.js";
import { writeAudit, type AuditEntry, type Authorized, type ServiceContext, type Tx } from "../context.js";

// Key order is the audit's JSON: email, name, type, aliases.
const snapshot = (s: SyncSnapshot): unknown => ({
  email: s.email,
  name: s.name,
  type: s.type,
  aliases: s.aliases,
});

/** Each change's audit row, in the order the plan met them: users, then the flagged, then the removed. */
function auditOf(plan: SyncPlan, accountId: string): AuditEntry[] {
  const audit: AuditEntry[] = [];
  for (const change of plan.changes) {
    if (change.action === "create") {
      audit.push({
        accountId,
        action: "user.create",
        address: change.primary.address,
        after: snapshot({
          email: change.primary.address,
          name: change.name,
          type: "directory",
          aliases: change.aliases.map((a) => a.address),
        }),
      });
    } else {
      audit.push({
        accountId,
        action: change.action === "reclaim" ? "user.reclaim" : "user.update",
        address: change.email,
        before: snapshot(change.before),
        after: snapshot(change.after),
      });
    }
  }
  for (const f of plan.flagged) {
    if (f.email !== undefined) {
      audit.push({
        accountId,
        action: "user.flag_missing",
        address: f.email,
        after: { connector: f.connectorName },
      });
    }
  }
  for (const r of plan.removals) {
    audit.push({
      accountId,
      action: "user.delete",
      address: r.email,
      after: { reason: "left the directory" },
    });
  }
  return audit;
}

/** Groups (connector, external id) keys by connector: one chunked update per connector. */
function byConnector(keys: readonly { connectorId: string; externalId: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const { connectorId, externalId } of keys) {
    const list = grouped.get(connectorId);
    if (list) list.push(externalId);
    else grouped.set(connectorId, [externalId]);
  }
  return grouped;
}

/**
 * Writes a sync plan with set-based statements, inside the run's transaction: changed users, new users with
 * their addresses and joins, rewritten addresses, missing marks, removals, then every change's audit row.
 */
export async function writeSyncPlan(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  accountId: string,
  plan: SyncPlan,
): Promise<void> {
  const now = context.now().toISOString();
  await updateConnectorUserDns(tx, plan.dnChanges);
  const updates = plan.changes.flatMap((c) => (c.action === "create" ? [] : [c]));
  await updateUserIdentitiesBulk(
    tx,
    updates.map((u) => ({
      id: u.userId,
      name: u.name,
      email: u.email,
      email_key: u.emailKey,
      type: "directory",
      updated_at: now,
    })),
  );

  const newUsers: NewUserRow[] = [];
  const newAddresses: AddressRow[] = [];
  const newMappings: ConnectorUserRow[] = plan.adoptions.map((a) => ({
    connector_id: a.connectorId,
    external_id: a.externalId,
    account_id: accountId,
    user_id: a.userId,
    dn: a.dn,
    missing_since: null,
  }));
  for (const change of plan.changes) {
    if (change.action !== "create") continue;
    const user = newUserRow({ accountId, email: change.primary, name: change.name, type: "directory", now });
    newUsers.push(user);
    newAddresses.push(...addressRows(accountId, user.id, change.primary, change.aliases));
    newMappings.push({
      connector_id: change.connectorId,
      external_id: change.externalId,
      account_id: accountId,
      user_id: user.id,
      dn: change.dn,
      missing_since: null,
    });
  }
  await insertUsersBulk(tx, newUsers);
  await deleteAddressesOfUsers(
    tx,
    plan.addressRewrites.map((r) => r.userId),
  );
  for (const r of plan.addressRewrites) {
    newAddresses.push(...addressRows(accountId, r.userId, r.primary, r.aliases));
  }
  await insertAddresses(tx, newAddresses);
  await insertConnectorUsers(tx, newMappings);

  for (const [connectorId, externalIds] of byConnector(plan.flagged)) {
    await setMissingSince(tx, connectorId, externalIds, now);
  }
  for (const [connectorId, externalIds] of byConnector(plan.returning)) {
    await setMissingSince(tx, connectorId, externalIds, null);
  }
  await deleteUsers(
    tx,
    plan.removals.map((r) => r.userId),
  );
  await writeAudit(tx, context, actor, auditOf(plan, accountId));
}
