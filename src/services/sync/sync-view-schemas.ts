import { z } from "zod";

// What Directory Synchronization hands to every door, declared once as zod schemas (the pattern of
// services/view-schemas.ts): the services' types are inferred from them, and src/http/sync-schemas.ts gives
// them their OpenAPI ids, so the console's generated types come from the same declaration.

/** A run is written `running` before any connector is read, then ends `done` or `failed`. */
export const SYNC_RUN_STATES = ["running", "done", "failed"] as const;
export type SyncRunState = (typeof SYNC_RUN_STATES)[number];

/** How the connectors went, once a run has ended: all read, some failed (or skipped entries), none read. */
export const SYNC_RUN_RESULTS = ["ok", "partial", "failed"] as const;
export type SyncRunResult = (typeof SYNC_RUN_RESULTS)[number];

const text = (max: number) => z.string().max(max);

/**
 * The settings of a new connector as every door sends them, bounded in length only: the service checks each
 * (its codes say which is wrong).
 */
export const connectorSettingsSchema = z.object({
  name: text(100),
  /** ldap (OpenLDAP's schema) or active-directory. */
  type: text(40),
  url: text(2000),
  bindDn: text(2000),
  bindPassword: text(1000),
  baseDn: text(2000),
  filter: text(4000).optional(),
  startTls: z.boolean().optional(),
  caFile: text(4096).optional(),
  removeMissing: z.boolean().optional(),
});
/** A new connector's settings, and the account it is added to (default: the actor's). */
export type AddConnectorRequest = z.infer<typeof connectorSettingsSchema> & { account?: string | undefined };

/** What a run did to users (every connector of the account together). */
const syncCounts = {
  created: z.int(),
  updated: z.int(),
  reclaimed: z.int(),
  flagged: z.int(),
  removed: z.int(),
};

/** How a run read one connector. */
const connectorRead = {
  /** The entries the connector returned; null when it could not be read. */
  entries: z.int().nullable(),
  /** Why it could not be read (its code), or null. */
  error: z.string().nullable(),
};

/** The account's last finished Sync All that read a connector, and how it went. */
export const connectorLastRunViewSchema = z.object({
  runId: z.string(),
  state: z.enum(SYNC_RUN_STATES),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  ...syncCounts,
  errorCount: z.int(),
  ...connectorRead,
});
export type ConnectorLastRun = z.infer<typeof connectorLastRunViewSchema>;

/** A connector as shown: never the password, only that one is stored. */
export const connectorViewSchema = z.object({
  name: z.string(),
  account: z.string(),
  type: z.enum(["openldap", "active-directory"]),
  url: z.string(),
  startTls: z.boolean(),
  caFile: z.string().nullable(),
  bindDn: z.string(),
  hasBindPassword: z.boolean(),
  baseDn: z.string(),
  filter: z.string(),
  attributes: z.object({
    id: z.string(),
    primary: z.string(),
    aliases: z.array(z.string()),
    proxyAddresses: z.array(z.string()),
    names: z.array(z.string()),
  }),
  removeMissing: z.boolean(),
  /** null before the account's first finished Sync All that read it. */
  lastRun: connectorLastRunViewSchema.nullable(),
});
export type ConnectorView = z.infer<typeof connectorViewSchema>;

/** What `connectors test` found: an LDAP failure is the answer, not an error of the request. */
export const connectorTestResultSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** Entries the filter found, at most CONNECTOR_TEST_MAX_ENTRIES. */
  entries: z.int(),
  /** True when the directory holds more than were counted. */
  more: z.boolean(),
  /** Of those, entries Sync All would skip (no immutable id or no address). */
  skipped: z.int(),
  /** Why the test failed: the LDAP error's code (ldap_bind_failed, ldap_unreachable, ...). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ConnectorTestResult = z.infer<typeof connectorTestResultSchema>;

/** One connector as a run read it. */
export const syncConnectorOutcomeSchema = z.object({
  id: z.string(),
  name: z.string(),
  ...connectorRead,
});
export type SyncConnectorOutcome = z.infer<typeof syncConnectorOutcomeSchema>;

/** One run as the history lists it: no list of errors, only their counts. */
export const syncRunListItemViewSchema = z.object({
  runId: z.string(),
  account: z.string(),
  state: z.enum(SYNC_RUN_STATES),
  /** null while running. */
  result: z.enum(SYNC_RUN_RESULTS).nullable(),
  /** Who started it: an administrator's address, `cli` or `serve` (the scheduler). */
  by: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  connectorCount: z.int(),
  connectors: z.array(syncConnectorOutcomeSchema),
  ...syncCounts,
  /** Every error, listed or not; the detail lists the first 1,000. */
  errorCount: z.int(),
  /** Errors by issue code. */
  errorCounts: z.record(z.string(), z.int()),
  /** Why a failed run failed; null otherwise. */
  failure: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type SyncRunListItem = z.infer<typeof syncRunListItemViewSchema>;
