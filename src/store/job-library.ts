import { sql, type Kysely } from "kysely";
import pg from "pg";
import PgBoss from "pg-boss";
import { DIRECTORY_CHANGED_CHANNEL } from "./migrations/0015-several-servers.js";
import type { Database } from "./schema.js";

// PostgreSQL's shared machinery for several servers: the job library (pg-boss 10, the last release for
// Node 20) and LISTEN for directory changes. Both take the same URL as the database.

/** A job handler's data: plain JSON. */
export type JobData = Readonly<Record<string, string | number | boolean | null>>;

export interface JobLibrary {
  /** Queues a job that no server takes before `at`; one server takes it (SKIP LOCKED), retried on failure. */
  sendAt(queue: string, data: JobData, at: Date): Promise<void>;
  /** Takes this server's share of a queue's jobs: `handler` runs for each; a throw fails (retries) it. */
  work(queue: string, handler: (data: JobData) => Promise<void>): Promise<void>;
  /** Stops taking jobs and waits for those running (a graceful stop). */
  stop(): Promise<void>;
}

/**
 * The schema the job library's tables live in: `pgboss` beside mailroster's tables in `public`, else
 * `<schema>_pgboss`, so two installations in two schemas of one database never share a queue.
 */
export async function jobSchemaOf(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema ?? "public";
  return schema === "public" ? "pgboss" : `${schema}_pgboss`;
}

/** Starts pg-boss on `url` (creating or migrating its schema, safely from several servers at once). */
export async function startJobLibrary(options: {
  url: string;
  schema: string;
  queues: readonly string[];
  onError: (error: unknown) => void;
}): Promise<JobLibrary> {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    max: 3,
    // No cron: schedules are claimed through job_schedules. Maintenance (expiry, archive) stays on.
    schedule: false,
  });
  boss.on("error", options.onError);
  await boss.start();
  for (const name of options.queues) {
    // A handler that throws (the database away for a moment) is retried every few seconds.
    await boss.createQueue(name, { name, retryLimit: 10, retryDelay: 2 });
  }
  return {
    async sendAt(queue, data, at) {
      await boss.sendAfter(queue, data, {}, at);
    },
    async work(queue, handler) {
      await boss.work<JobData>(queue, { pollingIntervalSeconds: 1 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}

export interface DirectoryListener {
  close(): Promise<void>;
}

/**
 * LISTENs on its own connection for the directory_version trigger's NOTIFY (migration 0015) and calls
 * `onChange` for this schema's changes. A lost connection is opened again after a second, and `onChange`
 * runs then too: a notification sent meanwhile was missed.
 */
export async function listenForDirectoryChanges(options: {
  url: string;
  db: Kysely<Database>;
  onChange: () => void;
  onError: (error: unknown) => void;
}): Promise<DirectoryListener> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(options.db);
  const schema = rows[0]?.schema ?? "public";
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: options.url });
    next.on("notification", (message) => {
      if (message.channel === DIRECTORY_CHANGED_CHANNEL && message.payload === schema) options.onChange();
    });
    next.on("error", (error) => {
      options.onError(error);
      reconnect(next);
    });
    next.on("end", () => {
      reconnect(next);
    });
    client = next;
    await next.connect();
    await next.query(`listen ${DIRECTORY_CHANGED_CHANNEL}`);
  };
  const reconnect = (lost: pg.Client): void => {
    if (closed || client !== lost || retry) return;
    client = undefined;
    lost.removeAllListeners("end");
    void lost.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      connect().then(options.onChange, (error: unknown) => {
        options.onError(error);
        if (client) reconnect(client);
      });
    }, 1000);
    retry.unref();
  };
  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
