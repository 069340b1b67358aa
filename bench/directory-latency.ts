import { spawn } from "node:child_process";
import { sql } from "kysely";
import { encodeCursor } from "../src/services/keyset-cursor.js";
import { RecipientIndex } from "../src/services/recipient-index.js";
import { showGroupMembers } from "../src/services/directory-views-service.js";
import { searchUsers } from "../src/services/users/search-users.js";
import type { ServiceContext } from "../src/services/context.js";
import type { OpenDatabase } from "../src/store/open-database.js";

// What bench:million and bench:scale measure once the directory is grown (account CxAy, users
// user{i}@example.com named "User Number {i} Ünïcødé" with aliases u{i}.a/.b@example.com and u{i}.c@example.org,
// all in Staff/London): search, pages, a group's members, the recipient index, and the built CLI.

/** A change of memory with its sign: the collector may give back more than the load took ("-27 MB"). */
const signedMb = (bytes: number): string => `${bytes < 0 ? "-" : "+"}${Math.abs(bytes / 1e6).toFixed(0)} MB`;

export const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

export async function time(
  samples: number,
  run: () => Promise<unknown>,
): Promise<{ median: number; p99: number }> {
  await run(); // warm
  const xs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    xs.push(performance.now() - start);
  }
  return { median: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
}

/**
 * Search and page latencies (median, p99 over `samples`) and the recipient index's footprint and look-ups
 * per second, printed one line each.
 */
export async function measureLatencies(
  open: OpenDatabase,
  context: ServiceContext,
  users: number,
  samples: number,
): Promise<void> {
  const row = (name: string, t: { median: number; p99: number }) => {
    console.log(`  ${name.padEnd(44)} median ${ms(t.median).padStart(10)}   p99 ${ms(t.p99).padStart(10)}`);
  };
  const account = "CxAy";
  for (const [label, text] of [
    ["search: one user's address (exact first)", `user${Math.floor(users / 2)}@example.com`],
    ["search: rare text (a number)", String(Math.floor(users * 0.7))],
    ["search: an alias part", `u${Math.floor(users / 3)}.b@`],
    ["search: Unicode, upper case", "ÜNÏCØDÉ 4711"],
    ["search: common text ('number')", "number"],
    ["search: two letters ('u9')", "u9"],
    // No trigram of its own: SQLite reads the index's terms that begin with it; PostgreSQL reads every row.
    ["search: two letters, no match ('qz')", "qz"],
  ] as const) {
    row(label, await time(samples, () => searchUsers(context, { account, text, limit: 50 })));
  }
  row(
    "users: first page (50, by address)",
    await time(samples, () => searchUsers(context, { account, limit: 50 })),
  );
  const deep = await sql<{
    address_sort: string;
    user_id: string;
  }>`select address_sort, user_id from user_search
      order by address_sort, user_id limit 1 offset ${Math.floor(users * 0.9)}`.execute(open.db);
  const position = deep.rows[0];
  const cursor = encodeCursor({
    sort: "address",
    direction: "next",
    position: [position?.address_sort ?? "", position?.user_id ?? ""],
  });
  row(
    "users: a page 90% deep (keyset)",
    await time(samples, () => searchUsers(context, { account, limit: 50, cursor })),
  );
  row(
    "users: first page by name",
    await time(samples, () => searchUsers(context, { account, limit: 50, sort: "name" })),
  );
  row(
    "users: first page, newest first",
    await time(samples, () => searchUsers(context, { account, limit: 50, sort: "updated" })),
  );
  row(
    "users: group filter (Staff, with subgroups)",
    await time(samples, () => searchUsers(context, { account, limit: 50, group: "Staff" })),
  );
  row(
    "group members: first page (200)",
    await time(samples, () => showGroupMembers(context, { account, path: "Staff/London" })),
  );

  const index = new RecipientIndex(open.db);
  const heapBefore = process.memoryUsage();
  const loadStart = performance.now();
  await index.refresh();
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const { addresses, bytes } = index.footprint;
  const heapAfter = process.memoryUsage();
  console.log(
    `  recipient index: ${addresses.toLocaleString("en")} addresses in ${loadSeconds.toFixed(1)} s, table ` +
      `${(bytes / 1e6).toFixed(1)} MB = ${(bytes / addresses).toFixed(1)} bytes/address ` +
      `(2,000,000 addresses: ${(((bytes / addresses) * 2e6) / 1e6).toFixed(0)} MB at this load; RSS ` +
      `${signedMb(heapAfter.rss - heapBefore.rss)} while loading)`,
  );
  let checks = 0;
  const until = performance.now() + 2000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) index.verdictOfLoaded(`user${(checks + i) % (users * 1.5)}@example.com`);
    checks += 1000;
  }
  console.log(`  recipient index: ${(checks / 2).toLocaleString("en")} look-ups/s from memory (one core)`);
}

/** A built-CLI run: wall time and peak RSS (GNU time), stdout drained by a reader that only counts. */
export function runCli(args: readonly string[]): Promise<{ seconds: number; peakMb: number; bytes: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(
      "/usr/bin/time",
      ["-f", "maxrss-kib=%M", process.execPath, "bin/mailroster.js", ...args],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let bytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      const rss = /maxrss-kib=(\d+)/.exec(stderr);
      if (code !== 0) fail(new Error(`${args.join(" ")}: exit ${code}\n${stderr}`));
      else
        done({ seconds: (performance.now() - started) / 1000, peakMb: Number(rss?.[1] ?? 0) / 1024, bytes });
    });
  });
}

/** The built CLI at this size: `recipients check` and `users list --json` into a reader. */
export async function measureCli(url: string, users: number): Promise<void> {
  // Five runs, different addresses: one process's start varies by a tenth of a second from run to run.
  const checks: { seconds: number; peakMb: number }[] = [];
  for (let i = 1; i <= 5; i++) {
    checks.push(await runCli(["recipients", "check", `user${users - i}@example.com`, "--db", url]));
  }
  const seconds = checks.map((c) => c.seconds);
  console.log(
    `  CLI recipients check: median ${quantile(seconds, 0.5).toFixed(2)} s of five ` +
      `(${Math.min(...seconds).toFixed(2)}-${Math.max(...seconds).toFixed(2)} s), ` +
      `peak ${Math.max(...checks.map((c) => c.peakMb)).toFixed(0)} MB`,
  );
  const list = await runCli(["users", "list", "--json", "--db", url]);
  console.log(
    `  CLI users list --json | reader: ${list.seconds.toFixed(1)} s, peak ${list.peakMb.toFixed(0)} MB, ` +
      `${(list.bytes / 1e6).toFixed(0)} MB written`,
  );
}
