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
}

export function heartbeatsOf<P>(kind: "import" | "sync"): WorkHeartbeats<P> {
  const key = (id: string): string => `${kind}:${id}`;
  return {
    beat: (context, id, progress) =>
      beatJobHeartbeat(
        context.db,
        key(id),
        context.now().toISOString(),
        progress === undefined ? undefined : JSON.stringify(progress),
      ),
    end: (context, id) => deleteJobHeartbeat(context.db, key(id)),
    lastSignOf: async (context, id, recordedAt) => {
      const beat = await findJobHeartbeat(context.db, key(id));
      return Math.max(Date.parse(recordedAt), beat ? Date.parse(beat.heartbeat_at) : 0);
    },
    progressOf: async (context, id) => {
      const beat = await findJobHeartbeat(context.db, key(id));
      return beat?.progress_json ? (JSON.parse(beat.progress_json) as P) : undefined;
    },
  };
}
