import { IMPORT_HEARTBEATS } from "../services/imports/import-recovery.js";
import type { ImportProgress } from "../services/imports/import-request.js";
import { inProcessLeases, leaseSubject, type LeaseSubject, type Leases, type LeaseWatch } from "./leases.js";

/** One import this server runs: told of its progress, then of its end. */
export type ImportWatch = LeaseWatch<ImportProgress>;

/** The heartbeats, shared progress and watchdogs of imports (jobs/leases.ts). */
export type ImportLeases = Leases<ImportProgress>;

/** One server per database: the runner's memory is the whole truth about progress. */
export const IN_PROCESS_LEASES: ImportLeases = inProcessLeases<ImportProgress>();

/** The job library's queue of import lease watchdogs. */
export const IMPORT_WATCHDOG_QUEUE = "import-lease-watchdog";

/**
 * An import's lease: the heartbeat and progress go to job_heartbeats; a watchdog that finds the heartbeat
 * stopped fails the import `import_interrupted` with the importer's mail (its save's transaction rolled back).
 */
export const IMPORT_LEASE: LeaseSubject<ImportProgress> = leaseSubject(
  IMPORT_WATCHDOG_QUEUE,
  IMPORT_HEARTBEATS,
);
