import type { ServiceContext } from "../services/context.js";
import {
  endImportHeartbeat,
  readImportProgress,
  recordImportHeartbeat,
  settleImportLease,
} from "../services/imports/import-recovery.js";
import type { ImportProgress } from "../services/imports/import-request.js";
import type { JobLibrary } from "../store/job-library.js";

/** One import this server runs: told of its progress, then of its end. */
export interface ImportWatch {
  progress(progress: ImportProgress): void;
  end(): void;
}

/**
 * What several servers need to know of an import one of them runs. In process (SQLite, PGlite: one server)
 * nothing is shared; on PostgreSQL the running server writes its heartbeat and progress to the record and a
 * delayed job in the job library (the lease's watchdog) lets another server fail the import when that
 * heartbeat stops.
 */
export interface ImportLeases {
  /** Starts watching an import this server has just recorded and runs. */
  watch(context: ServiceContext, importId: string): ImportWatch;
  /** An import's progress as its server (maybe another) last wrote it. */
  progressOf(context: ServiceContext, importId: string): Promise<ImportProgress | undefined>;
  /** Stops the heartbeats (a graceful stop: the running imports have ended by then). */
  close(): Promise<void>;
}

const NO_WATCH: ImportWatch = { progress: () => undefined, end: () => undefined };

/** One server per database: the runner's memory is the whole truth about progress. */
export const IN_PROCESS_LEASES: ImportLeases = {
  watch: () => NO_WATCH,
  progressOf: () => Promise.resolve(undefined),
  close: () => Promise.resolve(),
};

/** The job library's queue of lease watchdogs: `{ importId }`, due when the lease would end. */
export const IMPORT_WATCHDOG_QUEUE = "import-lease-watchdog";

// Progress is written at most once a second: a save reports every slice, which would be a write per slice.
const PROGRESS_WRITE_MS = 1000;

export interface SharedLeaseOptions {
  readonly jobs: JobLibrary;
  /** How long an import lives on without a heartbeat from its server (30 s by default). */
  readonly leaseMs: number;
  /** The context the watchdog acts in (the server's system actor). */
  readonly context: ServiceContext;
  /** After a watchdog failed an import (its mail is queued): `serve` sends the outbox. */
  readonly onFailed?: (() => void) | undefined;
  readonly onError: (error: unknown) => void;
}

/**
 * Leases on PostgreSQL. The running server's heartbeat is a row of job_heartbeats, written every third of
 * the lease and with the progress (at most once a second); the watchdog is a job delayed to the lease's end, taken by exactly one server, which
 * settles the import (settleImportLease) or, while the heartbeat is fresh, queues the next watchdog. pg-boss
 * 10 has no heartbeat of its own (an active job's expiry is fixed when it starts, and a save with 65,534
 * passwords runs ~170 s), so the heartbeat is ours and the job library carries the watchdogs, their
 * delivery to one server and their retries.
 */
export class SharedImportLeases implements ImportLeases {
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(private readonly options: SharedLeaseOptions) {}

  /** Starts taking this server's share of the watchdogs. */
  static async start(options: SharedLeaseOptions): Promise<SharedImportLeases> {
    const leases = new SharedImportLeases(options);
    await options.jobs.work(IMPORT_WATCHDOG_QUEUE, async (data) => {
      const importId = String(data.importId);
      const settled = await settleImportLease(options.context, importId, options.leaseMs);
      if (settled.checkAgainAt) await leases.sendWatchdog(importId, settled.checkAgainAt);
      if (settled.failed) options.onFailed?.();
    });
    return leases;
  }

  watch(context: ServiceContext, importId: string): ImportWatch {
    const { leaseMs } = this.options;
    let latest: ImportProgress | undefined;
    let writtenAt = 0;
    let writing = false;
    const write = (): void => {
      if (writing) return;
      writing = true;
      writtenAt = Date.now();
      recordImportHeartbeat(context, importId, latest)
        .catch(this.options.onError)
        .finally(() => {
          writing = false;
        });
    };
    write();
    this.sendWatchdog(importId, new Date(Date.now() + leaseMs)).catch(this.options.onError);
    const timer = setInterval(write, Math.max(100, Math.floor(leaseMs / 3)));
    timer.unref();
    this.timers.add(timer);
    return {
      progress: (progress) => {
        latest = progress;
        if (Date.now() - writtenAt >= PROGRESS_WRITE_MS) write();
      },
      end: () => {
        clearInterval(timer);
        this.timers.delete(timer);
        // After the record settled; a beat still in flight may recreate the row: the watchdog removes it.
        endImportHeartbeat(context, importId).catch(this.options.onError);
      },
    };
  }

  progressOf(context: ServiceContext, importId: string): Promise<ImportProgress | undefined> {
    return readImportProgress(context, importId);
  }

  close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.clear();
    return Promise.resolve();
  }

  private sendWatchdog(importId: string, at: Date): Promise<void> {
    return this.options.jobs.sendAt(IMPORT_WATCHDOG_QUEUE, { importId }, at);
  }
}
