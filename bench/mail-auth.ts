/**
 * `npm run bench:mail-auth`: how long one mail access check takes (issue 14 target: within 50 ms on a warm
 * machine plus one argon2id verification). Two figures, each as median and p99 over warm runs:
 * - the check in a warm process (`checkMailSignIn`: one look-up, one argon2id verify, the audit row), with the
 *   cost of the argon2id verify alone beside it, so the rest is the difference;
 * - the whole `mailroster mail-auth` process as Dovecot runs it (credentials on fd 3, a reply program on fd
 *   4), which adds Node.js start-up: what a POP3 or SMTP AUTH login waits for. Twice: checking by itself
 *   (`--db`: it loads the directory's modules and opens the database), and relaying to a warm `serve`
 *   (`--socket`: Node.js's own modules only); and `node -e 0`, the floor of any Node.js process.
 * On a fresh SQLite file of the example directory with one user allowed pop3.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { parseArgs } from "node:util";
import { checkMailSignIn } from "../src/services/user-sign-in-mail.js";
import { saveUsers } from "../src/services/users/save-users.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import type { ServiceContext } from "../src/services/context.js";
import { checkUserSignIn } from "../src/services/user-sign-in.js";
import { migrateToLatest } from "../src/store/migrate.js";
import { createSqliteDatabase } from "../src/store/open-database.js";
import { findUsersByIds } from "../src/store/users-repository.js";
import { initExample, makeContext } from "../test/support/service-context.js";

const { values } = parseArgs({
  options: { checks: { type: "string", default: "200" }, processes: { type: "string", default: "40" } },
});
const PASSWORD = "Tidal-Lantern-7";
const repo = join(import.meta.dirname, "..");

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function report(what: string, samples: readonly number[]): void {
  const ms = (v: number): string => `${v.toFixed(1)} ms`;
  console.log(
    `${what}: median ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))} (n=${samples.length})`,
  );
}

/** One `mailroster mail-auth` process as Dovecot starts it: fd 3 the request, fd 4 the reply's output. */
function runProcess(
  target: readonly string[],
  password: string,
): Promise<{ ms: number; code: number | null }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(repo, "bin/mailroster.js"), "mail-auth", ...target, "/bin/true"],
    {
      env: { ...process.env, SERVICE: "pop3", ORIG_UID: "0" },
      stdio: ["ignore", "ignore", "inherit", "pipe", "pipe"],
    },
  );
  const [request, reply] = [child.stdio[3], child.stdio[4]];
  if (!(request instanceof Writable) || !(reply instanceof Readable))
    throw new Error("no pipes on fd 3 and 4");
  reply.resume();
  request.end(Buffer.from(`mia@example.com\0${password}\0\0`));
  return new Promise((done) => {
    child.once("exit", (code) => {
      done({ ms: performance.now() - started, code });
    });
  });
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs`,
);
const dir = mkdtempSync(join(tmpdir(), "mailroster-bench-"));
const dbPath = join(dir, "bench.db");
const open = createSqliteDatabase(dbPath);
try {
  await migrateToLatest(open.db);
  const context = makeContext(open);
  await initExample(context);
  await saveUsers(context, {
    users: [
      { email: "mia@example.com", name: "Mia", password: PASSWORD, forceChangePassword: false, pop: true },
    ],
  });
  const [hash] = (await findUsersByIds(open.db, [await checkAndGetId(context)])).map(
    (u) => u.password_hash ?? "",
  );
  const verify: number[] = [];
  const checks: number[] = [];
  const request = { email: "mia@example.com", password: PASSWORD, service: "pop3" };
  for (let i = 0; i < 20; i++) await checkMailSignIn(context, request);
  for (let i = 0; i < Number(values.checks); i++) {
    let started = performance.now();
    await context.hasher.verify(hash ?? "", PASSWORD);
    verify.push(performance.now() - started);
    started = performance.now();
    const answer = await checkMailSignIn(context, request);
    checks.push(performance.now() - started);
    if (!answer.ok) throw new Error(`refused: ${answer.reason}`);
  }
  report("argon2id verify alone      ", verify);
  report("check in a warm process    ", checks);
  report(
    "check minus its verify     ",
    checks.map((c, i) => c - (verify[i] ?? 0)),
  );
  const spawned = async (what: string, target: readonly string[]): Promise<void> => {
    const processes: number[] = [];
    for (let i = 0; i < 3; i++) await runProcess(target, PASSWORD);
    for (let i = 0; i < Number(values.processes); i++) {
      const run = await runProcess(target, PASSWORD);
      if (run.code !== 0) throw new Error(`mail-auth exited with ${String(run.code)}`);
      processes.push(run.ms);
    }
    report(what, processes);
  };
  await spawned("mail-auth --db (own check)  ", ["--db", `sqlite:${dbPath}`]);
  const socket = join(dir, "mail-auth.sock");
  const serve = await startServe(`sqlite:${dbPath}`, socket);
  try {
    await spawned("mail-auth --socket (serve's)", ["--socket", socket]);
  } finally {
    serve.kill("SIGTERM");
    await new Promise((done) => serve.once("exit", done));
  }
  const bare: number[] = [];
  for (let i = 0; i < Math.min(20, Number(values.processes)); i++) {
    const started = performance.now();
    await new Promise((done) => spawn(process.execPath, ["-e", "0"]).once("exit", done));
    bare.push(performance.now() - started);
  }
  report("node -e 0 (start-up alone) ", bare);
} finally {
  await open.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A real `serve` answering checks on `socket`, once it says so. */
async function startServe(dbUrl: string, socket: string): Promise<ChildProcess> {
  const serve = spawn(
    process.execPath,
    [join(repo, "bin/mailroster.js"), "serve", "--db", dbUrl, "--port", "0", "--mail-auth-socket", socket],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let said = "";
  await new Promise<void>((ready, fail) => {
    serve.stdout.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("mail access checks on")) ready();
    });
    serve.once("exit", (code) => {
      fail(new Error(`serve exited with ${String(code)}: ${said}`));
    });
  });
  return serve;
}

async function checkAndGetId(context: ServiceContext): Promise<string> {
  const answer = await checkUserSignIn(context, {
    email: "mia@example.com",
    password: PASSWORD,
    door: "mail-auth",
  });
  if (!answer.ok) throw new Error(answer.reason);
  return answer.user.id;
}
