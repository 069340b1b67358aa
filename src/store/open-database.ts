import { createRequire } from "node:module";
import type { PGlite } from "@electric-sql/pglite";
import type SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type pg from "pg";
import { AppError } from "../errors/app-error.js";
import { pgliteDialect } from "./pglite-dialect.js";
import { SchemaLockingPostgresDialect, SESSION_SETTINGS_SQL } from "./postgres-dialect.js";
import { registerSearchFunctions } from "./search-keys.js";
import { sqliteReadWriteDialect } from "./sqlite-dialect.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";
import type { Database } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string }
  | { readonly kind: "pglite"; readonly dir: string };

export const DEFAULT_DATABASE = "./mailroster.db";

/** `postgres://...` (or postgresql://), `sqlite:PATH`, `pglite:DIR` (embedded PostgreSQL) or a plain file path. */
export function parseDatabaseUrl(text: string): DatabaseTarget {
  const url = text.trim();
  if (url.length === 0)
    throw new AppError("database_url_invalid", "The database URL is empty.", { url: text });
  if (/^postgres(ql)?:\/\//i.test(url)) return { kind: "postgres", url };
  if (/^sqlite:/i.test(url)) {
    const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "");
    if (path.length === 0) throw new AppError("database_url_invalid", "sqlite: needs a path.", { url: text });
    return { kind: "sqlite", path };
  }
  if (/^pglite:/i.test(url)) {
    const dir = url.slice("pglite:".length);
    if (dir.length === 0)
      throw new AppError("database_url_invalid", "pglite: needs a folder.", { url: text });
    return { kind: "pglite", dir };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new AppError("database_url_invalid", `Unsupported database URL "${url}".`, { url: text });
  }
  return { kind: "sqlite", path: url };
}

export interface OpenDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * SQLite: checkpoint the write-ahead log on a worker thread instead of inside the commit that fills it
   * (wal-checkpointer.ts). For a long-running server; a short command leaves it to its last close.
   */
  readonly backgroundCheckpoints?: boolean | undefined;
  /** Where a background checkpoint's failure is told (it is never fatal: the last close checkpoints). */
  readonly onBackgroundError?: ((error: unknown) => void) | undefined;
}

// Each database's driver is loaded when a database of its kind is opened, not by every process that may open
// one: a command on PostgreSQL loads no SQLite, and one on SQLite no pg (~65 ms of a `recipients check`).
// Both are CommonJS packages, so `require` returns the very module an `import` of them would.
const load = createRequire(import.meta.url);
const sqliteDriver = (): typeof SQLite => load("better-sqlite3") as typeof SQLite;
const postgresDriver = (): typeof pg => load("pg") as typeof pg;

/**
 * Opens SQLite in WAL mode with foreign keys on, so it enforces what PostgreSQL enforces: a writer for
 * transactions and writes and a query-only reader for everything else (sqlite-dialect.ts), so a long write
 * does not hold up reads. An in-memory database has one connection.
 */
export function createSqliteDatabase(path: string, options: OpenOptions = {}): OpenDatabase {
  const Driver = sqliteDriver();
  const open = (): SQLite.Database => {
    try {
      const connection = new Driver(path);
      // The search index's triggers (migration 0014) call these: every connection that writes needs them.
      registerSearchFunctions(connection);
      return connection;
    } catch (error) {
      throw new AppError(
        "database_unreachable",
        `Cannot open the SQLite database ${path}: ${String(error)}`,
        {
          path,
        },
      );
    }
  };
  const writer = open();
  writer.pragma("journal_mode = WAL");
  writer.pragma("foreign_keys = ON");
  writer.pragma("busy_timeout = 5000");
  // A 32 MiB page cache (the default is 2 MiB): an import of 65,535 users or a Sync All of as many entries
  // writes about a million index entries in one transaction; with the default cache they thrash. With
  // time-ordered ids those writes are local, and 64 MiB measured no faster, only 35 MB heavier.
  writer.pragma("cache_size = -32768");
  if (path === ":memory:" || path === "") {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: writer }) });
    return { db, dialect: "sqlite", close: () => db.destroy() };
  }
  const reader = open();
  reader.pragma("busy_timeout = 5000");
  reader.pragma("query_only = ON");
  reader.pragma("cache_size = -8192");
  const db = new Kysely<Database>({ dialect: sqliteReadWriteDialect(writer, reader) });
  if (!options.backgroundCheckpoints) return { db, dialect: "sqlite", close: () => db.destroy() };
  writer.pragma("wal_autocheckpoint = 0");
  const checkpointer = startWalCheckpointer(path, { onError: options.onBackgroundError });
  return {
    db,
    dialect: "sqlite",
    close: async () => {
      await checkpointer.close();
      // The last connection to close copies what is left of the log.
      await db.destroy();
    },
  };
}

export function createPostgresDatabase(config: pg.PoolConfig): OpenDatabase {
  const pool = new (postgresDriver().Pool)({ max: 5, ...config });
  const db = new Kysely<Database>({ dialect: new SchemaLockingPostgresDialect(pool) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

export function createPgliteDatabase(pglite: PGlite, initSql: readonly string[] = []): OpenDatabase {
  const db = new Kysely<Database>({ dialect: pgliteDialect(pglite, [SESSION_SETTINGS_SQL, ...initSql]) });
  return { db, dialect: "postgres", close: () => db.destroy() };
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<OpenDatabase> {
  const target = parseDatabaseUrl(url);
  switch (target.kind) {
    case "sqlite":
      return createSqliteDatabase(target.path, options);
    case "postgres": {
      const open = createPostgresDatabase({ connectionString: target.url });
      await checkReachable(open, target.url);
      return open;
    }
    case "pglite": {
      // Loaded only here: its WebAssembly module is heavy, and a short-lived process (mail-auth) rarely needs it.
      const { PGlite } = await import("@electric-sql/pglite");
      const pglite = await PGlite.create(target.dir);
      const open = createPgliteDatabase(pglite);
      return {
        ...open,
        close: async () => {
          await open.close();
          await pglite.close();
        },
      };
    }
  }
}

async function checkReachable(open: OpenDatabase, url: string): Promise<void> {
  try {
    await open.db.selectNoFrom((eb) => eb.lit(1).as("one")).execute();
  } catch (error) {
    await open.close();
    // Say which server, never the password in the URL.
    const safe = url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
    throw new AppError("database_unreachable", `Cannot reach ${safe}: ${String(error)}`, { url: safe });
  }
}
