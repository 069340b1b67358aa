/**
 * `npm run bench:scale` (issue 15): one account grown to 1,048,544 users (sixteen sheets of 65,534) by real
 * imports, each sheet written as an .xls and saved through the import service as `serve` runs it, on SQLite
 * and PostgreSQL. Prints the save time per 65,534 rows as the directory grows; then search and page latency
 * (median, p99), the recipient index and the built CLI at that size (bench/directory-latency.ts); then a real
 * `serve` on the grown database: its start, RCPT TO checks per second over SMTP on loopback (eight
 * connections, two addresses in three known) and its memory (RSS after the start, after the load, and peak).
 * `--users 131068` for a quick run. Needs dist/ (npm run build). Not a test: the load is printed.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import type { ServiceContext } from "../src/services/context.js";
import { createGroup } from "../src/services/groups-service.js";
import { saveImport } from "../src/services/imports/run-import.js";
import { setRecipientValidation } from "../src/services/recipient-settings-service.js";
import { writeXls, type XlsValue } from "../src/sheet/xls/write-xls.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { initExample, makeContext } from "../test/support/service-context.js";
import { openBenchDatabase } from "./bench-database.js";
import { measureCli, measureLatencies, quantile } from "./directory-latency.js";
import { rcptRate } from "./smtp-load.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: String(16 * 65_534) },
    dialect: { type: "string", multiple: true },
    samples: { type: "string", default: "30" },
    "smtp-seconds": { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
    keep: { type: "boolean", default: false },
  },
});
const SHEET_ROWS = 65_534;
const HEADER = [
  "email",
  "name",
  "alias1",
  "alias2",
  "alias3",
  "department",
  "telephonenumber",
  "Physical Address",
  "costcentre",
  "title",
];

/** Users `from` to `to` (exclusive) as an .xls: the columns and values of the benchmark sheets, no password. */
function sheetOf(from: number, to: number): Uint8Array {
  const rows: XlsValue[][] = [HEADER];
  for (let i = from; i < to; i++) {
    rows.push([
      `user${i}@example.com`,
      `User Number ${i} Ünïcødé`,
      `u${i}.a@example.com`,
      `u${i}.b@example.com`,
      `u${i}.c@example.org`,
      "Engineering",
      `+44 20 7946 ${String(i % 10_000).padStart(4, "0")}`,
      `${i} High Street, London`,
      String(1000 + (i % 50)),
      "Engineer",
    ]);
  }
  return writeXls([{ name: "Users", rows }]);
}

/** Grows the account by imports of SHEET_ROWS users each; prints each save's time and the median. */
async function growByImports(context: ServiceContext, users: number): Promise<void> {
  const administrator = { ...context, actor: { kind: "user" as const, email: "admin@example.com" } };
  const seconds: number[] = [];
  for (let from = 0; from < users; from += SHEET_ROWS) {
    const to = Math.min(users, from + SHEET_ROWS);
    const bytes = sheetOf(from, to);
    const started = performance.now();
    const outcome = await saveImport(administrator, {
      fileName: `users-${from}.xls`,
      bytes,
      group: "Staff/London",
    });
    const took = (performance.now() - started) / 1000;
    if (!outcome.ok) throw new Error(`import failed: ${JSON.stringify(outcome.errors.slice(0, 3))}`);
    seconds.push(took);
    console.log(
      `  import ${seconds.length}: ${(to - from).toLocaleString("en")} users saved in ${took.toFixed(1)} s ` +
        `(directory now ${to.toLocaleString("en")}; load ${loadavg()[0]?.toFixed(1)})`,
    );
  }
  console.log(
    `  imports: median ${quantile(seconds, 0.5).toFixed(1)} s, first ${seconds[0]?.toFixed(1)} s, ` +
      `last ${seconds.at(-1)?.toFixed(1)} s per ${SHEET_ROWS.toLocaleString("en")} rows`,
  );
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: kib("VmRSS") / 1024, peakMb: kib("VmHWM") / 1024 };
}

/** A real `serve` on the database: its start, RCPT TO checks per second over SMTP, and its memory. */
async function measureServe(url: string, users: number): Promise<void> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["bin/mailroster.js", "serve", "--db", url, "--port", "0", "--smtp-listen", "127.0.0.1:0"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`serve exited with ${String(code)}: ${err}`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const smtp = /SMTP recipient check on [^:\s]+:(\d+)/.exec(out);
      if (out.includes("Ctrl+C") && smtp) resolve(Number(smtp[1]));
    });
  });
  const startSeconds = (performance.now() - started) / 1000;
  const pid = child.pid ?? 0;
  const idle = memoryOf(pid);
  const connections = Number(values.connections);
  const rate = await rcptRate(port, { seconds: Number(values["smtp-seconds"]), connections, users });
  const loaded = memoryOf(pid);
  console.log(`  serve: ready in ${startSeconds.toFixed(1)} s, RSS ${idle.rssMb.toFixed(0)} MB`);
  console.log(
    `  serve: ${rate.toFixed(0)} RCPT TO checks/s over SMTP (${connections} connections, client in this ` +
      `process); RSS after ${loaded.rssMb.toFixed(0)} MB, peak ${loaded.peakMb.toFixed(0)} MB`,
  );
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

async function measure(dialect: "sqlite" | "postgres", users: number): Promise<void> {
  const { open, url, cleanup } = await openBenchDatabase(dialect, "scale", values.keep);
  try {
    console.log(
      `\n${dialect}, ${users.toLocaleString("en")} users by imports (load ${loadavg()[0]?.toFixed(1)}):`,
    );
    await migrateToLatest(open.db);
    const context = makeContext(open);
    await initExample(context);
    await createGroup(context, { path: "Staff/London" });
    await setRecipientValidation(context, { domain: "example.com", recipientValidation: "known-recipients" });
    await growByImports(context, users);
    if (dialect === "postgres") await sql`analyze`.execute(open.db);
    await measureLatencies(open, context, users, Number(values.samples));
    await open.close();
    await measureCli(url, users);
    await measureServe(url, users);
  } finally {
    await open.close().catch(() => undefined);
    await cleanup();
  }
}

for (const dialect of values.dialect ?? ["sqlite", "postgres"]) {
  await measure(dialect === "postgres" ? "postgres" : "sqlite", Number(values.users));
}
