import type { Kysely } from "kysely";
import type { ServiceContext } from "../services/context.js";
import { createScheduleClaim } from "../services/jobs/schedule-claims.js";
import { createSharedRateLimitStore } from "../services/jobs/shared-rate-limit.js";
import type { RateLimitStore } from "../http/rate-limit.js";
import { jobSchemaOf, listenForDirectoryChanges, startJobLibrary } from "../store/job-library.js";
import { parseDatabaseUrl } from "../store/open-database.js";
import type { Database } from "../store/schema.js";
import { IMPORT_LEASE, type ImportLeases } from "./import-leases.js";
import { SharedLeases, type SharedLeaseOptions } from "./leases.js";
import { SYNC_LEASE, type SyncLeases } from "./sync-leases.js";
import type { ScheduleClaim } from "./sync-scheduler.js";

/** The shared pieces `serve` runs with on PostgreSQL; absent for SQLite and PGlite (one server). */
export interface SharedMachinery {
  readonly leases: ImportLeases;
  readonly syncLeases: SyncLeases;
  readonly rateLimitStore: RateLimitStore;
  readonly syncSchedule: ScheduleClaim;
  /** Stops the watchdogs' worker and the listener (after the imports have ended). */
  close(): Promise<void>;
}

/**
 * On a PostgreSQL server (several `serve` may share it): starts the job library (the watchdogs of the
 * imports' and Sync All runs' leases), LISTENs for directory changes (`onDirectoryChange`), and hands back the shared sign-in counts
 * and the shared Sync All schedule. Undefined for a database only one process opens.
 */
export async function startSharedMachinery(options: {
  url: string;
  db: Kysely<Database>;
  context: ServiceContext;
  leaseMs: number;
  onDirectoryChange: () => void;
  /** After a watchdog failed an import: its mail is queued. */
  onImportFailed: () => void;
  /** After a watchdog failed a Sync All run whose server stopped. */
  onSyncFailed?: (() => void) | undefined;
  onError: (error: unknown) => void;
}): Promise<SharedMachinery | undefined> {
  if (parseDatabaseUrl(options.url).kind !== "postgres") return undefined;
  const { url, db, onError } = options;
  const jobs = await startJobLibrary({
    url,
    schema: await jobSchemaOf(db),
    queues: [IMPORT_LEASE.queue, SYNC_LEASE.queue],
    onError,
  });
  const leaseOptions: SharedLeaseOptions = {
    jobs,
    leaseMs: options.leaseMs,
    context: options.context,
    onError,
  };
  const leases = await SharedLeases.start(IMPORT_LEASE, {
    ...leaseOptions,
    onFailed: options.onImportFailed,
  });
  const syncLeases = await SharedLeases.start(SYNC_LEASE, {
    ...leaseOptions,
    onFailed: options.onSyncFailed,
  });
  const listener = await listenForDirectoryChanges({
    url,
    db,
    onChange: options.onDirectoryChange,
    onError,
  });
  return {
    leases,
    syncLeases,
    rateLimitStore: createSharedRateLimitStore(db),
    syncSchedule: createScheduleClaim(db, "sync_all", options.context.now),
    async close() {
      await listener.close();
      await jobs.stop();
      await leases.close();
      await syncLeases.close();
    },
  };
}
