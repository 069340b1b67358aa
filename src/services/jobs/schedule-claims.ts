import type { Kysely } from "kysely";
import {
  claimDueJobSchedule,
  ensureJobSchedule,
  setJobScheduleDue,
} from "../../store/job-schedules-repository.js";
import type { Database } from "../../store/schema.js";

/**
 * A schedule shared by every server on one database, kept as its due time in job_schedules: the first
 * server to ask sets it one interval ahead; when it has come, the one server whose update moves it on runs.
 */
export function createScheduleClaim(
  db: Kysely<Database>,
  name: string,
  now: () => Date,
): { claim(intervalMs: number): Promise<boolean>; ran(intervalMs: number): Promise<void> } {
  const after = (ms: number): string => new Date(now().getTime() + ms).toISOString();
  return {
    async claim(intervalMs) {
      await ensureJobSchedule(db, name, after(intervalMs));
      return claimDueJobSchedule(db, name, now().toISOString(), after(intervalMs));
    },
    async ran(intervalMs) {
      await setJobScheduleDue(db, name, after(intervalMs));
    },
  };
}
