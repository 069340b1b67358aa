/**
 * `npm run bench:hostile`: two hostile uploads at once against a real `mailroster serve` (issue 10).
 *  - foreign.xls: 65,535 rows in a domain that is not internal (every row an error once the directory is read);
 *  - junk.xls: 65,535 rows whose 15 flag and alias cells hold the same 300-character text (983,025 errors).
 * Each run starts a fresh server (dist/, the executable's V8 flags) on a fresh SQLite database, signs in,
 * uploads both files to POST /imports/preview at the same moment, and meanwhile asks GET /auth/me every
 * 100 ms. Prints medians over the runs: each reply's size, the server's peak RSS (VmHWM, Linux), the
 * latency of the concurrent requests (median and worst), and the size of the stored records (GET
 * /imports/{id}) and error reports. Targets: replies and records a few MB, RSS < 1 GB, other requests < 1 s.
 * BENCH_TRACE=1 prints each concurrent request as it is answered (when it was sent, how long it took).
 * Not a test: timings depend on the machine and on what else runs on it (the load average is printed).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { initExampleArgv } from "../test/support/cli.js";
import { foreignDomainXls, junkCellsXls, MAX_XLS_DATA_ROWS } from "../test/support/import-files.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
const ADMIN = { email: "admin@example.com", password: "Sunny-Harbour-42" };
const ROOT = join(import.meta.dirname, "..");

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function cli(args: readonly string[]): void {
  const r = spawnSync(process.execPath, ["bin/mailroster.js", ...args], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`mailroster ${args.join(" ")}: ${r.stderr}`);
}

interface Server {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

function serve(db: string): Promise<Server> {
  const child = spawn(process.execPath, ["bin/mailroster.js", "serve", "--db", db, "--port", "0"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      resolve();
    }),
  );
  return new Promise((resolve, reject) => {
    let out = "";
    void exited.then(() => {
      reject(new Error(`serve exited: ${out}`));
    });
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /console: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url === undefined || !out.includes("Ctrl+C")) return;
      resolve({
        url,
        pid: child.pid ?? 0,
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    });
  });
}

/** The peak resident set of a process so far (Linux /proc; 0 elsewhere). */
function peakRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

interface Session {
  readonly headers: Record<string, string>;
}

async function signIn(url: string): Promise<Session> {
  const r = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  const body = (await r.json()) as { csrfToken?: string };
  const cookie = (r.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  if (r.status !== 200 || body.csrfToken === undefined) throw new Error(`sign-in: ${r.status}`);
  return { headers: { cookie, "x-csrf-token": body.csrfToken } };
}

async function upload(url: string, session: Session, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append("uploadOnly", "true");
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "application/vnd.ms-excel" }), name);
  const started = performance.now();
  const r = await fetch(`${url}/api/v1/imports/preview`, {
    method: "POST",
    headers: session.headers,
    body: form,
  });
  const text = await r.text();
  const body = JSON.parse(text) as { importId?: string; errorCount?: number; errors?: unknown[] };
  return {
    status: r.status,
    bytes: Buffer.byteLength(text),
    ms: performance.now() - started,
    importId: body.importId ?? "",
    errorCount: body.errorCount ?? -1,
    listed: body.errors?.length ?? -1,
  };
}

async function sizeOf(
  url: string,
  session: Session,
  path: string,
): Promise<{ status: number; bytes: number }> {
  const r = await fetch(`${url}/api/v1${path}`, { headers: session.headers });
  return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
}

interface RunResult {
  replies: number[];
  records: number[];
  reports: number[];
  uploadMs: number;
  peakRss: number;
  latencyMedian: number;
  latencyMax: number;
}

async function runOnce(files: { name: string; bytes: Uint8Array }[]): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-hostile-"));
  const db = join(dir, "bench.db");
  cli([...initExampleArgv(ADMIN.password), "--db", db]);
  const server = await serve(db);
  try {
    const session = await signIn(server.url);
    const latencies: number[] = [];
    let uploading = true;
    const t0 = performance.now();
    const probe = (async () => {
      while (uploading) {
        const started = performance.now();
        const r = await fetch(`${server.url}/api/v1/auth/me`, { headers: session.headers });
        await r.arrayBuffer();
        latencies.push(performance.now() - started);
        if (process.env.BENCH_TRACE)
          console.log(
            `      me at ${(started - t0).toFixed(0)} ms: ${(performance.now() - started).toFixed(0)} ms`,
          );
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const started = performance.now();
    const replies = await Promise.all(files.map((f) => upload(server.url, session, f.name, f.bytes)));
    const uploadMs = performance.now() - started;
    uploading = false;
    await probe;
    for (const [i, r] of replies.entries()) {
      if (r.status !== 200) throw new Error(`${files[i]?.name}: ${r.status}`);
      console.log(`    ${files[i]?.name}: ${r.errorCount} errors, ${r.listed} listed, reply ${mb(r.bytes)}`);
    }
    const records = await Promise.all(
      replies.map((r) => sizeOf(server.url, session, `/imports/${r.importId}`)),
    );
    const reports = await Promise.all(
      replies.map((r) => sizeOf(server.url, session, `/imports/${r.importId}/errors.xls`)),
    );
    for (const report of reports) if (report.status !== 200) throw new Error(`errors.xls: ${report.status}`);
    return {
      replies: replies.map((r) => r.bytes),
      records: records.map((r) => r.bytes),
      reports: reports.map((r) => r.bytes),
      uploadMs,
      peakRss: peakRss(server.pid),
      latencyMedian: median(latencies),
      latencyMax: latencies.reduce((m, x) => Math.max(m, x), 0),
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const files = [
  { name: "foreign.xls", bytes: foreignDomainXls(MAX_XLS_DATA_ROWS) },
  { name: "junk.xls", bytes: junkCellsXls(MAX_XLS_DATA_ROWS) },
];
console.log(
  `hostile uploads: ${files.map((f) => `${f.name} ${mb(f.bytes.length)}`).join(", ")}; ${runs} runs; ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
);
const results: RunResult[] = [];
for (let i = 0; i < runs; i++) {
  console.log(`  run ${i + 1}`);
  results.push(await runOnce(files));
}
const med = (pick: (r: RunResult) => number): number => median(results.map(pick));
for (const [i, f] of files.entries()) {
  console.log(
    `${f.name}: reply ${mb(med((r) => r.replies[i] ?? 0))}, record ${mb(med((r) => r.records[i] ?? 0))}, ` +
      `errors.xls ${mb(med((r) => r.reports[i] ?? 0))} (target: a few MB)`,
  );
}
console.log(`both uploads answered in ${(med((r) => r.uploadMs) / 1000).toFixed(2)} s (median)`);
console.log(`server peak RSS ${mb(med((r) => r.peakRss))} (target < 1 GB)`);
console.log(
  `GET /auth/me meanwhile: median ${med((r) => r.latencyMedian).toFixed(0)} ms, ` +
    `worst ${med((r) => r.latencyMax).toFixed(0)} ms (medians over runs; target < 1 s)`,
);
