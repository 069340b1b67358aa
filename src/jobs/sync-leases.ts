import type { SyncProgress } from "../services/sync/run-sync.js";
import { SYNC_HEARTBEATS } from "../services/sync/sync-run-recovery.js";
import { inProcessLeases, leaseSubject, type LeaseSubject, type Leases } from "./leases.js";

/** The heartbeats, shared progress and watchdogs of Sync All runs (jobs/leases.ts). */
export type SyncLeases = Leases<SyncProgress>;

export const IN_PROCESS_SYNC_LEASES: SyncLeases = inProcessLeases<SyncProgress>();

/** The job library's queue of Sync All lease watchdogs. */
export const SYNC_WATCHDOG_QUEUE = "sync-lease-watchdog";

/** A run's lease: a watchdog that finds its server's heartbeat stopped fails it `sync_interrupted`. */
export const SYNC_LEASE: LeaseSubject<SyncProgress> = leaseSubject(SYNC_WATCHDOG_QUEUE, SYNC_HEARTBEATS);
