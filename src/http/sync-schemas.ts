import { z } from "zod";
import {
  SYNC_RUN_STATES,
  connectorSettingsSchema,
  connectorTestResultSchema,
  connectorViewSchema,
  syncConnectorOutcomeSchema,
  syncRunListItemViewSchema,
} from "../services/sync/sync-view-schemas.js";

// The shapes of Directory Synchronization in the API: connectors (never a password) and Sync All runs.

export const syncRunStartedSchema = z
  .object({ runId: z.string(), state: z.enum(SYNC_RUN_STATES) })
  .meta({ id: "SyncRunStarted" });

export const syncProgressSchema = z
  .object({
    stage: z.enum(["reading", "writing"]),
    connectorsRead: z.int(),
    connectors: z.int(),
  })
  .meta({ id: "SyncProgress" });

export const syncErrorSchema = z
  .object({
    connector: z.string(),
    code: z.string(),
    message: z.string(),
    dn: z.string().optional(),
    address: z.string().optional(),
  })
  .meta({ id: "SyncError" });

export const syncRunListItemSchema = syncRunListItemViewSchema
  .extend({
    connectors: z.array(syncConnectorOutcomeSchema.meta({ id: "SyncConnectorOutcome" })),
    /** How far a run at work in this server has come; null otherwise. */
    progress: syncProgressSchema.nullable(),
  })
  .meta({ id: "SyncRunListItem" });

export const syncRunSchema = syncRunListItemSchema
  .extend({ errors: z.array(syncErrorSchema) })
  .meta({ id: "SyncRun" });

export const connectorSchema = connectorViewSchema.meta({ id: "Connector" });

const text = (max: number) => z.string().max(max);

/** The settings of a new connector; the service checks each (its codes say which is wrong). */
export const connectorAddSchema = connectorSettingsSchema.meta({ id: "ConnectorAdd" });

/** What to change; left out stays. An empty or absent bindPassword keeps the stored one. */
export const connectorUpdateSchema = z
  .object({
    /** A new name. */
    name: text(100).optional(),
    url: text(2000).optional(),
    bindDn: text(2000).optional(),
    bindPassword: text(1000).optional(),
    baseDn: text(2000).optional(),
    filter: text(4000).optional(),
    startTls: z.boolean().optional(),
    /** null: trust the system's CAs again. */
    caFile: text(4096).nullable().optional(),
    removeMissing: z.boolean().optional(),
  })
  .meta({ id: "ConnectorUpdate" });

export const connectorTestSchema = connectorTestResultSchema.meta({ id: "ConnectorTest" });

export const connectorRemovedSchema = z
  .object({ name: z.string(), account: z.string(), usersUnmapped: z.int() })
  .meta({ id: "ConnectorRemoved" });
