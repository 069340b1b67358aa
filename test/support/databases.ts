import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, beforeEach } from "vitest";
import { migrateToLatest } from "../../src/store/migrate.js";
import {
  createPgliteDatabase,
  createPostgresDatabase,
  createSqliteDatabase,
  type DialectName,
  type OpenDatabase,
} from "../../src/store/open-database.js";

/** Every storage, service and CLI test loops over these. */
export const DIALECTS: readonly DialectName[] = ["sqlite", "postgres"];

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

type PostgresBackend = { kind: "server"; url: string } | { kind: "pglite"; pglite: PGlite };

let backend: Promise<PostgresBackend> | undefined;

/**
 * The PostgreSQL server at TEST_DATABASE_URL, or PGlite when none answers. Under CI=true an unreachable
 * server fails the run: CI must prove the suite on the real server, never silently on a stand-in.
 */
function getPostgresBackend(): Promise<PostgresBackend> {
  backend ??= (async (): Promise<PostgresBackend> => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query("select 1");
      return { kind: "server", url: TEST_DATABASE_URL };
    } catch (error) {
      if (process.env.CI === "true") {
        throw new Error(
          `CI=true and the PostgreSQL server at ${TEST_DATABASE_URL} is unreachable (${String(error)}): ` +
            "start it (see .ci/run) or set TEST_DATABASE_URL.",
        );
      }
      console.warn(
        `\n!!! PostgreSQL at ${TEST_DATABASE_URL} is unreachable (${String(error)}).\n` +
          "!!! Running the PostgreSQL tests on PGlite (in-process) instead. CI will use the real server.\n",
      );
      return { kind: "pglite", pglite: await PGlite.create() };
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return backend;
}

export type TestDatabase = OpenDatabase;

/** Schemas carry the run's prefix; postgres-global-setup.ts drops them all when the run ends. */
function newSchemaName(): string {
  return `t_${process.env.MAILROSTER_TEST_RUN ?? "solo"}_${randomBytes(6).toString("hex")}`;
}

/** The database with close() safe to call twice (a test may close it first) and drop() = close + remove. */
function droppable(open: OpenDatabase, remove: () => void): TestDatabase & { drop(): Promise<void> } {
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await open.close();
  };
  return {
    ...open,
    close,
    drop: async () => {
      await close();
      remove();
    },
  };
}

/** Creates a schema on the PostgreSQL server, over a connection of its own. */
async function createSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
}

/** A fresh, empty (unmigrated) database of the dialect; drop() removes it. */
export async function createEmptyDatabase(
  dialect: DialectName,
): Promise<TestDatabase & { drop(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mailroster-test-"));
    const path = join(dir, "test.db");
    return droppable(createSqliteDatabase(path), () => {
      rmSync(dir, { recursive: true, force: true });
    });
  }
  const pgBackend = await getPostgresBackend();
  const schema = newSchemaName();
  if (pgBackend.kind === "server") {
    await createSchema(pgBackend.url, schema);
    // A fresh schema per test on the shared server; search_path makes it the default for every connection.
    const options = `-c search_path=${schema}`;
    // The schema is dropped with the run's others at the end (see postgres-global-setup.ts).
    return droppable(createPostgresDatabase({ connectionString: pgBackend.url, options }), () => undefined);
  }
  const { pglite } = pgBackend;
  await pglite.exec(`create schema ${schema}`);
  const open = createPgliteDatabase(pglite, [`set search_path to ${schema}`]);
  return {
    ...open,
    drop: async () => {
      await open.close();
      await pglite.exec(`set search_path to public; drop schema ${schema} cascade`);
    },
  };
}

/**
 * A URL for a fresh, empty database that the CLI opens itself: a temporary SQLite file, a fresh schema on
 * the PostgreSQL server (through the libpq `options` parameter), or a PGlite folder. cleanup() removes it.
 */
export async function createCliDatabaseUrl(
  dialect: DialectName,
): Promise<{ url: string; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-cli-"));
  const removeDir = (): Promise<void> => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  };
  if (dialect === "sqlite") {
    return { url: `sqlite:${join(dir, "cli.db")}`, cleanup: removeDir };
  }
  const pgBackend = await getPostgresBackend();
  if (pgBackend.kind === "pglite") return { url: `pglite:${dir}`, cleanup: removeDir };
  const schema = newSchemaName();
  await createSchema(pgBackend.url, schema);
  const options = encodeURIComponent(`-c search_path=${schema}`);
  const url = `${pgBackend.url}${pgBackend.url.includes("?") ? "&" : "?"}options=${options}`;
  return {
    url,
    cleanup: async () => {
      // The schema goes with the run's others at the end (see postgres-global-setup.ts).
      await removeDir();
    },
  };
}

/** Registers hooks that give each test a fresh migrated database of the dialect; call inside describe(). */
export function useTestDatabase(dialect: DialectName): () => TestDatabase {
  let current: (TestDatabase & { drop(): Promise<void> }) | undefined;
  beforeEach(async () => {
    current = await createEmptyDatabase(dialect);
    await migrateToLatest(current.db);
  });
  afterEach(async () => {
    await current?.drop();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("useTestDatabase: no database outside a test");
    return current;
  };
}
