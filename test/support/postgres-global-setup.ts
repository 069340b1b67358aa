import { randomBytes } from "node:crypto";
import pg from "pg";

/**
 * Test schemas on the shared PostgreSQL server are dropped once, after the whole run, not after each test:
 * Kysely's migrator introspects every schema's tables, and a schema dropped by a parallel test file in
 * the middle of that scan fails it. Every schema of this run carries the run's prefix.
 */
const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export function setup(): void {
  process.env.MAILROSTER_TEST_RUN ??= randomBytes(4).toString("hex");
}

export async function teardown(): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
  } catch {
    return; // no server: the run used PGlite
  }
  try {
    const prefix = `t_${process.env.MAILROSTER_TEST_RUN ?? ""}_`;
    const { rows } = await client.query<{ name: string }>(
      "select nspname as name from pg_namespace where starts_with(nspname, $1)",
      [prefix],
    );
    for (const { name } of rows) await client.query(`drop schema "${name}" cascade`);
  } finally {
    await client.end();
  }
}
