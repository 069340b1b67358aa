import type { ServiceContext } from "../services/context.js";
import type { WorkHeartbeats } from "../services/job-heartbeats.js";
import type { JobLibrary } from "../store/job-library.js";

/** One piece of work (an import, a Sync All run) this server runs: told of its progress, then of its end. */
export interface LeaseWatch<P> {
  progress(progress: P): void;
  end(): void;
}

/** What a lease watchdog found: the work lives on (look again then), or it was failed (or had ended). */
export interface LeaseSettlement {
  readonly checkAgainAt?: Date | undefined;
  readonly failed: boolean;
}

/**
 * The work a kind of lease keeps: how its server's heartbeat is written and read, and how another server
 * settles it once the heartbeat stops (services/imports/import-recovery.ts, services/sync/sync-run-recovery.ts).
 */
export interface LeaseSubject<P> {
  /** The job library's queue of this kind's watchdogs: `{ id }`, each due when a lease would end. */
  readonly queue: string;
  beat(context: ServiceContext, id: string, progress: P | undefined): Promise<void>;
  end(context: ServiceContext, id: string): Promise<void>;
  read(context: ServiceContext, id: string): Promise<P | undefined>;
  settle(context: ServiceContext, id: string, leaseMs: number): Promise<LeaseSettlement>;
}

/** The lease of a kind of work over its heartbeats (services/job-heartbeats.ts), its watchdogs on `queue`. */
export function leaseSubject<P>(queue: string, heartbeats: WorkHeartbeats<P>): LeaseSubject<P> {
  const { beat, end, read, settle } = heartbeats;
  return { queue, beat, end, read, settle };
}

/**
 * What several servers need to know of work one of them runs. In process (SQLite, PGlite: one server)
 * nothing is shared; on PostgreSQL the running server writes its heartbeat and progress to a row and a
 * delayed job in the job library (the lease's watchdog) lets another server fail the work when that
 * heartbeat stops.
 */
export interface Leases<P> {
  /** Starts watching work this server has just recorded and runs. */
  watch(context: ServiceContext, id: string): LeaseWatch<P>;
  /** The work's progress as its server (maybe another) last wrote it. */
  progressOf(context: ServiceContext, id: string): Promise<P | undefined>;
  /**
   * Settles work another server (or a command-line run) left running, now rather than at its watchdog:
   * true when it was failed because its heartbeat had stopped. In process: false (nothing to tell).
   */
  settleNow(context: ServiceContext, id: string): Promise<boolean>;
  /** Stops the heartbeats (a graceful stop: the running work has ended by then). */
  close(): Promise<void>;
}

const NO_WATCH: LeaseWatch<never> = { progress: () => undefined, end: () => undefined };

/** One server per database: the runner's memory is the whole truth about progress. */
export function inProcessLeases<P>(): Leases<P> {
  return {
    watch: () => NO_WATCH,
    progressOf: () => Promise.resolve(undefined),
    settleNow: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
}

/** How long work lives on without a heartbeat from its server, by default (`serve --job-lease-seconds`). */
export const DEFAULT_LEASE_MS = 30_000;

// Progress is written at most once a second: a save reports every slice, which would be a write per slice.
const PROGRESS_WRITE_MS = 1000;

/**
 * Beats for work `id` every `intervalMs`, with its progress at most once a second, until end(). The running
 * half of a lease: SharedLeases adds the watchdog; a command-line run (no job library) beats alone, so a
 * server starting meanwhile does not take it for an orphan.
 */
export function beatWhileRunning<P>(
  subject: LeaseSubject<P>,
  context: ServiceContext,
  id: string,
  options: { intervalMs: number; onError: (error: unknown) => void },
): LeaseWatch<P> & { stop(): void } {
  let latest: P | undefined;
  let writtenAt = 0;
  let writing = false;
  const write = (): void => {
    if (writing) return;
    writing = true;
    writtenAt = Date.now();
    subject
      .beat(context, id, latest)
      .catch(options.onError)
      .finally(() => {
        writing = false;
      });
  };
  write();
  const timer = setInterval(write, Math.max(100, options.intervalMs));
  timer.unref();
  return {
    progress: (progress) => {
      latest = progress;
      if (Date.now() - writtenAt >= PROGRESS_WRITE_MS) write();
    },
    end: () => {
      clearInterval(timer);
      // After the record settled; a beat still in flight may recreate the row: the watchdog removes it.
      subject.end(context, id).catch(options.onError);
    },
    /** Stops beating and leaves the row: the work's lease runs out. */
    stop: () => {
      clearInterval(timer);
    },
  };
}

export interface SharedLeaseOptions {
  readonly jobs: JobLibrary;
  /** How long work lives on without a heartbeat from its server (30 s by default). */
  readonly leaseMs: number;
  /** The context the watchdog acts in (the server's system actor). */
  readonly context: ServiceContext;
  /** After a watchdog failed work (an import's failure mail is queued): `serve` sends the outbox. */
  readonly onFailed?: (() => void) | undefined;
  readonly onError: (error: unknown) => void;
}

/**
 * Leases on PostgreSQL. The running server's heartbeat is a row of job_heartbeats, written every third of
 * the lease and with the progress (at most once a second); the watchdog is a job delayed to the lease's end,
 * taken by exactly one server, which settles the work or, while the heartbeat is fresh, queues the next
 * watchdog. pg-boss 10 has no heartbeat of its own (an active job's expiry is fixed when it starts, and a
 * save with 65,534 passwords runs ~170 s), so the heartbeat is ours and the job library carries the
 * watchdogs, their delivery to one server and their retries.
 */
export class SharedLeases<P> implements Leases<P> {
  private readonly running = new Set<{ stop(): void }>();

  private constructor(
    private readonly subject: LeaseSubject<P>,
    private readonly options: SharedLeaseOptions,
  ) {}

  /** Starts taking this server's share of the subject's watchdogs. */
  static async start<P>(subject: LeaseSubject<P>, options: SharedLeaseOptions): Promise<SharedLeases<P>> {
    const leases = new SharedLeases(subject, options);
    await options.jobs.work(subject.queue, async (data) => {
      // Watchdogs queued before Sync All had leases carry `importId`.
      const id = String(data.id ?? data.importId);
      const settled = await subject.settle(options.context, id, options.leaseMs);
      if (settled.checkAgainAt) await leases.sendWatchdog(id, settled.checkAgainAt);
      if (settled.failed) options.onFailed?.();
    });
    return leases;
  }

  watch(context: ServiceContext, id: string): LeaseWatch<P> {
    const { leaseMs, onError } = this.options;
    const beat = beatWhileRunning(this.subject, context, id, {
      intervalMs: Math.floor(leaseMs / 3),
      onError,
    });
    this.sendWatchdog(id, new Date(Date.now() + leaseMs)).catch(onError);
    this.running.add(beat);
    return {
      progress: (progress) => {
        beat.progress(progress);
      },
      end: () => {
        this.running.delete(beat);
        beat.end();
      },
    };
  }

  progressOf(context: ServiceContext, id: string): Promise<P | undefined> {
    return this.subject.read(context, id);
  }

  async settleNow(context: ServiceContext, id: string): Promise<boolean> {
    const settled = await this.subject.settle(context, id, this.options.leaseMs);
    if (settled.failed) this.options.onFailed?.();
    return settled.failed;
  }

  /** Stops the heartbeats (a graceful stop: the running work has ended by then). */
  close(): Promise<void> {
    for (const beat of this.running) beat.stop();
    this.running.clear();
    return Promise.resolve();
  }

  private sendWatchdog(id: string, at: Date): Promise<void> {
    return this.options.jobs.sendAt(this.subject.queue, { id }, at);
  }
}
