import { beatWhileRunning, DEFAULT_LEASE_MS, type LeaseSubject } from "../jobs/leases.js";
import type { ServiceContext } from "../services/context.js";
import { isPostgres } from "../store/bulk/dialect.js";

/** The heartbeat of work a command runs itself: started once its record exists, ended before the database closes. */
export interface CommandHeartbeat<P> {
  readonly start: (id: string) => void;
  readonly progress: (progress: P) => void;
  readonly end: () => Promise<void>;
}

/**
 * On PostgreSQL, where servers may share the database, a `mailroster import --save` or `mailroster sync` beats
 * like a server's run (every third of the default lease, 30 s), so a server starting meanwhile, or one
 * finding the account's Sync All at work, does not take it for an orphan. No watchdog: the command has no job
 * library; a killed command's run is failed by the next server to start or to find it. SQLite: nothing to do
 * (one server, and its start fails what it finds running).
 */
export function commandHeartbeat<P>(subject: LeaseSubject<P>, context: ServiceContext): CommandHeartbeat<P> {
  let beat: ReturnType<typeof beatWhileRunning<P>> | undefined;
  let running: string | undefined;
  return {
    start: (id) => {
      if (!isPostgres(context.db)) return;
      running = id;
      // A missed beat is not the command's failure: the run goes on, and its guarded commit decides.
      beat = beatWhileRunning(subject, context, id, {
        intervalMs: DEFAULT_LEASE_MS / 3,
        onError: () => undefined,
      });
    },
    progress: (progress) => {
      beat?.progress(progress);
    },
    end: async () => {
      beat?.stop();
      if (running !== undefined) await subject.end(context, running).catch(() => undefined);
    },
  };
}
