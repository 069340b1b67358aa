// One measured import, in a process of its own so its peak memory is its own. Sets up a fresh directory
// (account with example.com and example.org, group Staff) untimed, then times a preview or a save and prints
// one JSON line. `--keep NAME` leaves the database for a later run with `--existing NAME` (a re-import). Plain JavaScript on the compiled dist/, as
// shipped, so that no TypeScript loader thread sits in the measured process.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { isCommonPassword } from "../dist/adapters/common-passwords.js";
import { createArgon2Hasher } from "../dist/adapters/password-hasher.js";
import { initDirectory } from "../dist/services/accounts-service.js";
import { createGroup } from "../dist/services/groups-service.js";
import { previewImport, saveImport } from "../dist/services/imports/run-import.js";
import { migrateToLatest } from "../dist/store/migrate.js";
import { createPostgresDatabase, createSqliteDatabase } from "../dist/store/open-database.js";

const { values } = parseArgs({
  options: {
    dialect: { type: "string" },
    file: { type: "string" },
    mode: { type: "string" },
    keep: { type: "string" },
    existing: { type: "string" },
    // SQLite: "background" checkpoints the log on a worker thread, as `serve` runs (the default); "commit"
    // leaves them to the committing connection, as a short CLI command does (and the code before 0020 did).
    checkpoints: { type: "string" },
  },
});
const mode = values.mode ?? "preview";
const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** A database named `name`: a file in a temporary folder, or a schema of its own on the PostgreSQL server. */
async function openBenchDatabase(dialect, name, create) {
  if (dialect === "sqlite") {
    const dir = join(tmpdir(), `mailroster-bench-${name}`);
    if (create) mkdirSync(dir);
    const open = createSqliteDatabase(join(dir, "bench.db"), {
      backgroundCheckpoints: values.checkpoints !== "commit",
    });
    return { db: open.db, close: () => open.close(), drop: () => rmSync(dir, { recursive: true }) };
  }
  const schema = `bench_${name}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  if (create) await admin.query(`create schema ${schema}`);
  const open = createPostgresDatabase({ connectionString: pgUrl, options: `-c search_path=${schema}` });
  return {
    db: open.db,
    close: async () => (await open.close(), await admin.end()),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: pgUrl });
      await dropper.connect();
      await dropper.query(`drop schema ${schema} cascade`);
      await dropper.end();
    },
  };
}

const fresh = values.existing === undefined;
const database = await openBenchDatabase(
  values.dialect === "postgres" ? "postgres" : "sqlite",
  values.existing ?? values.keep ?? randomBytes(6).toString("hex"),
  fresh,
);
let dropAtEnd = values.keep === undefined;
try {
  const base = {
    db: database.db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now: () => new Date(),
    actor: { kind: "system", name: "bench" },
  };
  if (fresh) {
    await migrateToLatest(database.db);
    await initDirectory(base, {
      account: "Bench",
      code: "bench",
      domains: ["example.com", "example.org"],
      admin: "admin@example.com",
      adminPassword: "Sunny-Harbour-42",
    });
    await createGroup(base, { path: "Staff" });
  }
  const context = { ...base, actor: { kind: "user", email: "admin@example.com" } };
  const request = { fileName: values.file ?? "", bytes: readFileSync(values.file ?? ""), group: "Staff" };
  const started = performance.now();
  const outcome =
    mode === "preview" ? await previewImport(context, request) : await saveImport(context, request);
  const ms = performance.now() - started;
  if (!outcome.ok) {
    dropAtEnd = true;
    throw new Error(`import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
  }
  console.log(
    JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, summary: outcome.summary }),
  );
} finally {
  await database.close();
  if (dropAtEnd) await database.drop();
}
