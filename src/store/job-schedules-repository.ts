import type { Executor } from "./schema.js";

/** Writes the schedule's first due time unless it has one already (the first server to start sets it). */
export async function ensureJobSchedule(db: Executor, name: string, dueAt: string): Promise<void> {
  await db
    .insertInto("job_schedules")
    .values({ name, due_at: dueAt })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
}

/**
 * Moves a due schedule on to `nextDueAt` when it is due at `now` or earlier: true for the one caller whose
 * update moved it (the row is updated atomically, so of several servers asking at once only one wins).
 */
export async function claimDueJobSchedule(
  db: Executor,
  name: string,
  now: string,
  nextDueAt: string,
): Promise<boolean> {
  const result = await db
    .updateTable("job_schedules")
    .set({ due_at: nextDueAt })
    .where("name", "=", name)
    .where("due_at", "<=", now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Sets the schedule's next due time (after a run ends: the interval counts from then). */
export async function setJobScheduleDue(db: Executor, name: string, dueAt: string): Promise<void> {
  await db.updateTable("job_schedules").set({ due_at: dueAt }).where("name", "=", name).execute();
}
