import {
  beatJobHeartbeat,
  deleteJobHeartbeat,
  findJobHeartbeat,
} from "../store/job-heartbeats-repository.js";
import type { ServiceContext } from "./context.js";

// The heartbeat of work a server (or a command) runs, an import or a Sync All run, keyed "<kind>:<id>":
// written by the running process with its progress, read by every server to show that progress and to tell
// live work from an orphan (jobs/leases.ts).

export interface WorkHeartbeats<P> {
  /** Writes the running process's sign of life, with the progress when given. */
  readonly beat: (context: ServiceContext, id: string, progress: P | undefined) => Promise<void>;
  /** The work has ended: its heartbeat row goes. */
  readonly end: (context: ServiceContext, id: string) => Promise<void>;
  /** When the process running the work last showed it was alive: its heartbeat, else `recordedAt`. */
  readonly lastSignOf: (context: ServiceContext, id: string, recordedAt: string) => Promise<number>;
  /** The progress last written; undefined before the first report or after the end. */
  readonly progressOf: (context: ServiceContext, id: string) => Promise<P | undefined>;
  /** The progress last written, while the work is still unfinished; undefined before the first report. */
  readonly read: (context: ServiceContext, id: string) => Promise<P | undefined>;
  /**
   * A lease's watchdog: work that has ended needs nothing; work whose process showed a sign of life within
   * `leaseMs` is alive, to be looked at again when its lease would end; else it is failed. The heartbeat of
   * work that has ended (or was failed) goes.
   */
  readonly settle: (
    context: ServiceContext,
    id: string,
    leaseMs: number,
  ) => Promise<{ checkAgainAt?: Date; failed: boolean }>;
  /**
   * At server start: fails each of `works` (all of them without `staleAfterMs`, else those whose process
   * has shown no sign of life for that long: another server may be running the rest). How many it failed.
   */
  readonly failStale: (
    context: ServiceContext,
    works: readonly (UnfinishedWork & { readonly id: string })[],
    staleAfterMs: number | undefined,
  ) => Promise<number>;
}

/** Work still recorded as running, as its lease sees it. */
export interface UnfinishedWork {
  /** When its own record last changed (a heartbeat may be later). */
  readonly recordedAt: string;
  /** Fails it as interrupted: false when it had ended meanwhile (the update is guarded by its state). */
  readonly fail: () => Promise<boolean>;
}

/** The heartbeats of one kind of work; `find` reads the work's record: undefined once it has ended. */
export function heartbeatsOf<P>(
  kind: "import" | "sync",
  find: (context: ServiceContext, id: string) => Promise<UnfinishedWork | undefined>,
): WorkHeartbeats<P> {
  const key = (id: string): string => `${kind}:${id}`;
  const end = (context: ServiceContext, id: string) => deleteJobHeartbeat(context.db, key(id));
  const lastSignOf = async (context: ServiceContext, id: string, recordedAt: string) => {
    const beat = await findJobHeartbeat(context.db, key(id));
    return Math.max(Date.parse(recordedAt), beat ? Date.parse(beat.heartbeat_at) : 0);
  };
  const progressOf = async (context: ServiceContext, id: string) => {
    const beat = await findJobHeartbeat(context.db, key(id));
    return beat?.progress_json ? (JSON.parse(beat.progress_json) as P) : undefined;
  };
  return {
    end,
    lastSignOf,
    beat: (context, id, progress) =>
      beatJobHeartbeat(
        context.db,
        key(id),
        context.now().toISOString(),
        progress === undefined ? undefined : JSON.stringify(progress),
      ),
    progressOf,
    read: async (context, id) => {
      const progress = await progressOf(context, id);
      if (progress === undefined) return undefined;
      return (await find(context, id)) === undefined ? undefined : progress;
    },
    settle: async (context, id, leaseMs) => {
      const work = await find(context, id);
      if (work === undefined) {
        await end(context, id);
        return { failed: false };
      }
      const endsAt = (await lastSignOf(context, id, work.recordedAt)) + leaseMs;
      if (endsAt > context.now().getTime()) return { checkAgainAt: new Date(endsAt), failed: false };
      const failed = await work.fail();
      await end(context, id);
      return { failed };
    },
    failStale: async (context, works, staleAfterMs) => {
      let failed = 0;
      const now = context.now().getTime();
      for (const work of works) {
        if (
          staleAfterMs !== undefined &&
          now - (await lastSignOf(context, work.id, work.recordedAt)) < staleAfterMs
        ) {
          continue;
        }
        if (await work.fail()) failed++;
      }
      return failed;
    },
  };
}
