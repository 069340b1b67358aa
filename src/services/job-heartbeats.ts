import {
  beatJobHeartbeat,
  deleteJobHeartbeat,
  findJobHeartbeat,
} from "../store/job-heartbeats-repository.js";
import type { ServiceContext } from "./context.js";

// The heartbeat of work a server runs (an import, a Sync All run), keyed "<kind>:<id>": written by the
// running server with its progress, read by every server to show that progress and to tell live work from
// an orphan (jobs/leases.ts).

/** Writes the running server's sign of life, with the progress when given (at most about once a second). */
export function beatHeartbeat(context: ServiceContext, key: string, progress: unknown): Promise<void> {
  const json = progress === undefined ? undefined : JSON.stringify(progress);
  return beatJobHeartbeat(context.db, key, context.now().toISOString(), json);
}

/** The work has ended: its heartbeat row goes. */
export function endHeartbeat(context: ServiceContext, key: string): Promise<void> {
  return deleteJobHeartbeat(context.db, key);
}

/** When the server running the work last showed it was alive: its heartbeat, else `recordedAt`. */
export async function lastSignOf(context: ServiceContext, key: string, recordedAt: string): Promise<number> {
  const beat = await findJobHeartbeat(context.db, key);
  return Math.max(Date.parse(recordedAt), beat ? Date.parse(beat.heartbeat_at) : 0);
}

/** The progress the running server last wrote; undefined before its first report or after the end. */
export async function readHeartbeatProgress<P>(context: ServiceContext, key: string): Promise<P | undefined> {
  const beat = await findJobHeartbeat(context.db, key);
  return beat?.progress_json ? (JSON.parse(beat.progress_json) as P) : undefined;
}
