/**
 * One measured import, in a process of its own so its peak memory is its own. Sets up a fresh directory
 * (account with example.com and example.org, group Staff) untimed, then times a preview, a save, or a
 * second save of the same file (all unchanged), and prints one JSON line.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { isCommonPassword } from "../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../src/adapters/password-hasher.js";
import { initDirectory } from "../src/services/accounts-service.js";
import type { ServiceContext } from "../src/services/context.js";
import { createGroup } from "../src/services/groups-service.js";
import { previewImport, saveImport, type ImportOutcome } from "../src/services/imports-service.js";
import { createEmptyDatabase } from "../test/support/databases.js";
import { migrateToLatest } from "../src/store/migrate.js";

const { values } = parseArgs({
  options: { dialect: { type: "string" }, file: { type: "string" }, mode: { type: "string" } },
});
const dialect = values.dialect === "postgres" ? "postgres" : "sqlite";
const file = values.file ?? "";
const mode = values.mode ?? "preview";

const database = await createEmptyDatabase(dialect);
try {
  await migrateToLatest(database.db);
  const base: ServiceContext = {
    db: database.db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now: () => new Date(),
    actor: { kind: "system", name: "bench" },
  };
  await initDirectory(base, {
    account: "Bench",
    code: "bench",
    domains: ["example.com", "example.org"],
    admin: "admin@example.com",
    adminPassword: "Sunny-Harbour-42",
  });
  await createGroup(base, { path: "Staff" });
  const context: ServiceContext = { ...base, actor: { kind: "user", email: "admin@example.com" } };
  const bytes = readFileSync(file);
  const request = { fileName: file, bytes, group: "Staff" };
  if (mode === "resave") {
    const first = await saveImport(context, request);
    if (!first.saved) throw new Error(`first save failed: ${JSON.stringify(first.errors.slice(0, 3))}`);
  }
  const started = performance.now();
  const outcome: ImportOutcome =
    mode === "preview" ? await previewImport(context, request) : await saveImport(context, request);
  const ms = performance.now() - started;
  if (!outcome.ok) throw new Error(`import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
  console.log(
    JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, summary: outcome.summary }),
  );
} finally {
  await database.drop();
}
