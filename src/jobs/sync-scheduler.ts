/** Three times a day: the default interval of the scheduled Sync All. */
export const DEFAULT_SYNC_INTERVAL_MS = (24 / 3) * 60 * 60 * 1000;

/** The longest interval `serve --sync-every-minutes` takes: one week. */
export const MAX_SYNC_INTERVAL_MINUTES = 7 * 24 * 60;

// Node's timers hold a signed 32-bit delay: anything above fires at once (with a TimeoutOverflowWarning).
// A longer wait is slept in pieces, each checking the clock against the due time.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Several servers on one database: the schedule's due time is a row, and the server whose update moves it
 * on runs Sync All (services/jobs/schedule-claims.ts). Without one, this process alone keeps the schedule.
 */
export interface ScheduleClaim {
  /** True for the one server that moved a due schedule on (to one interval from now). */
  claim(intervalMs: number): Promise<boolean>;
  /** After this server's run: the next is due one interval after it ended. */
  ran(intervalMs: number): Promise<void>;
}

export interface SyncScheduler {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` (1 ms up to a week) while the server runs. Runs never overlap: the next one
 * is due `intervalMs` after the previous one ends. A failed run is reported and the schedule goes on.
 */
export function startSyncScheduler(options: {
  intervalMs: number;
  run: () => Promise<void>;
  onError: (error: unknown) => void;
  claim?: ScheduleClaim | undefined;
}): SyncScheduler {
  const { intervalMs } = options;
  if (
    !Number.isSafeInteger(intervalMs) ||
    intervalMs < 1 ||
    intervalMs > MAX_SYNC_INTERVAL_MINUTES * 60_000
  ) {
    throw new RangeError(`The Sync All interval must be 1 ms to one week, not ${intervalMs} ms.`);
  }
  if (options.claim) return startClaimedSchedule(options, options.claim);
  const state = new ScheduleState();
  const waitUntil = (dueAt: number): void => {
    if (state.stopped) return;
    const left = dueAt - Date.now();
    if (left <= 0) {
      state.running = options.run().catch(options.onError).finally(schedule);
      return;
    }
    state.later(
      () => {
        waitUntil(dueAt);
      },
      Math.min(left, MAX_TIMER_MS),
    );
  };
  function schedule(): void {
    waitUntil(Date.now() + intervalMs);
  }
  schedule();
  return { stop: () => state.stop() };
}

/** A schedule's one pending timer and its run in progress: what stopping it ends and waits for. */
class ScheduleState {
  stopped = false;
  running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  /** Calls `then` after `ms`, unless the schedule has stopped. */
  later(then: () => void, ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(then, ms);
    // A pending sync alone must not keep the process alive after the servers close.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * The shared schedule: every server asks, a few times per interval (at most every 15 s), whether the due time
 * has come; the row's atomic update lets one of them run. So Sync All runs once per interval however many
 * servers run, and goes on when the server that ran last stops.
 */
function startClaimedSchedule(
  options: { intervalMs: number; run: () => Promise<void>; onError: (error: unknown) => void },
  claim: ScheduleClaim,
): SyncScheduler {
  const { intervalMs } = options;
  const pollMs = Math.min(15_000, Math.max(250, Math.floor(intervalMs / 4)));
  const state = new ScheduleState();
  const tick = async (): Promise<void> => {
    if (!(await claim.claim(intervalMs)) || state.stopped) return;
    try {
      await options.run();
    } finally {
      await claim.ran(intervalMs);
    }
  };
  const next = (): void => {
    state.later(() => {
      state.running = tick().catch(options.onError).finally(next);
    }, pollMs);
  };
  next();
  return { stop: () => state.stop() };
}
