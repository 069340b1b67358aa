import type { Executor } from "./schema.js";

/** Writes a job's heartbeat (and its progress, when given), creating the row on the first beat. */
export async function beatJobHeartbeat(
  db: Executor,
  job: string,
  at: string,
  progressJson: string | undefined,
): Promise<void> {
  await db
    .insertInto("job_heartbeats")
    .values({ job, heartbeat_at: at, progress_json: progressJson ?? null })
    .onConflict((oc) =>
      oc
        .column("job")
        .doUpdateSet(
          progressJson === undefined
            ? { heartbeat_at: at }
            : { heartbeat_at: at, progress_json: progressJson },
        ),
    )
    .execute();
}

export async function findJobHeartbeat(
  db: Executor,
  job: string,
): Promise<{ progress_json: string | null; heartbeat_at: string } | undefined> {
  return db
    .selectFrom("job_heartbeats")
    .select(["progress_json", "heartbeat_at"])
    .where("job", "=", job)
    .executeTakeFirst();
}

/** Forgets a job's heartbeat once it has ended. */
export async function deleteJobHeartbeat(db: Executor, job: string): Promise<void> {
  await db.deleteFrom("job_heartbeats").where("job", "=", job).execute();
}
