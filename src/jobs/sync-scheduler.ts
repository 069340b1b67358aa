/** Three times a day: the default interval of the scheduled Sync All. */
export const DEFAULT_SYNC_INTERVAL_MS = (24 / 3) * 60 * 60 * 1000;

export interface SyncScheduler {
  /** Stops scheduling and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `intervalMs` while the server runs. Runs never overlap: the next one is scheduled after
 * the previous one ends. A failed run is reported and the schedule goes on.
 */
export function startSyncScheduler(options: {
  intervalMs: number;
  run: () => Promise<void>;
  onError: (error: unknown) => void;
}): SyncScheduler {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = options.run().catch(options.onError).finally(schedule);
    }, options.intervalMs);
    // A pending sync alone must not keep the process alive after the servers close.
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
