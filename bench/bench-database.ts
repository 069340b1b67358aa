import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type OpenDatabase,
} from "../src/store/open-database.js";

const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * A fresh database for a benchmark: a SQLite file in a temporary folder (its log checkpointed in the
 * background, as `serve` runs it) or a schema of its own on the PostgreSQL server, with the URL the built
 * CLI and `serve` open it by. cleanup() removes it unless `keep`.
 */
export async function openBenchDatabase(
  dialect: "sqlite" | "postgres",
  prefix: string,
  keep: boolean,
): Promise<{ open: OpenDatabase; url: string; cleanup: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), `mailroster-${prefix}-`));
    const path = join(dir, `${prefix}.db`);
    return {
      open: createSqliteDatabase(path, { backgroundCheckpoints: true }),
      url: `sqlite:${path}`,
      cleanup: () => {
        if (keep) console.log(`  kept ${path}`);
        else rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const schema = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    open: createPostgresDatabase({ connectionString: pgUrl, options: `-c search_path=${schema}` }),
    url,
    cleanup: async () => {
      if (keep) console.log(`  kept ${url}`);
      else {
        // With the job library's schema, which `serve` made beside it (store/job-library.ts).
        await admin.query(`drop schema ${schema} cascade`);
        await admin.query(`drop schema if exists ${schema}_pgboss cascade`);
      }
      await admin.end();
    },
  };
}
