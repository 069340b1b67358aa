import type { SyncProgress } from "../services/sync/run-sync.js";
import { readSyncProgress, settleSyncLease, SYNC_HEARTBEATS } from "../services/sync/sync-run-recovery.js";
import { inProcessLeases, type LeaseSubject, type Leases } from "./leases.js";

/** The heartbeats, shared progress and watchdogs of Sync All runs (jobs/leases.ts). */
export type SyncLeases = Leases<SyncProgress>;

export const IN_PROCESS_SYNC_LEASES: SyncLeases = inProcessLeases<SyncProgress>();

/** The job library's queue of Sync All lease watchdogs. */
export const SYNC_WATCHDOG_QUEUE = "sync-lease-watchdog";

/** A run's lease: a watchdog that finds its server's heartbeat stopped fails it `sync_interrupted`. */
export const SYNC_LEASE: LeaseSubject<SyncProgress> = {
  queue: SYNC_WATCHDOG_QUEUE,
  beat: SYNC_HEARTBEATS.beat,
  end: SYNC_HEARTBEATS.end,
  read: readSyncProgress,
  settle: settleSyncLease,
};
