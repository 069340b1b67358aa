/**
 * `npm run bench:million`: a directory grown to N users (default 1,000,000; `--users 100000` for a quick run)
 * on SQLite and PostgreSQL with the import's bulk writers (65,534 users a transaction, three aliases each,
 * every user in Staff/London), then search, the first and a deep page of users, a group's members, the
 * recipient index's bytes per address and checks per second, and the built CLI (`recipients check`, `users
 * list --json` into a pipe: time and peak RSS). Prints medians and p99 against issue 15's targets (search and
 * pages < 50 ms median, < 200 ms p99; recipients check < 0.5 s and 150 MB; users list < 150 MB). Needs dist/
 * (npm run build). Not a test: the machine's load is printed, and the figures move with it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { newUserRow, type NewUserRow } from "../src/directory/new-user-row.js";
import { createGroup } from "../src/services/groups-service.js";
import { encodeCursor } from "../src/services/keyset-cursor.js";
import { RecipientIndex } from "../src/services/recipient-index.js";
import { showGroupMembers } from "../src/services/directory-views-service.js";
import { searchUsers } from "../src/services/users/search-users.js";
import type { ServiceContext } from "../src/services/context.js";
import { findAccountByCodeKey } from "../src/store/accounts-repository.js";
import { insertAddresses, type AddressRow } from "../src/store/addresses-repository.js";
import { findGroupsByPathKeys, insertGroupMembers } from "../src/store/groups-repository.js";
import { migrateToLatest } from "../src/store/migrate.js";
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type OpenDatabase,
} from "../src/store/open-database.js";
import { insertUsersBulk } from "../src/store/users-repository.js";
import { initExample, makeContext } from "../test/support/service-context.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000000" },
    "postgres-users": { type: "string" },
    dialect: { type: "string", multiple: true },
    samples: { type: "string", default: "30" },
    keep: { type: "boolean", default: false },
  },
});
const samples = Number(values.samples);
const pgUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const BATCH = 65_534;

const quantile = (xs: readonly number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function time(run: () => Promise<unknown>): Promise<{ median: number; p99: number }> {
  await run(); // warm
  const xs: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await run();
    xs.push(performance.now() - start);
  }
  return { median: quantile(xs, 0.5), p99: quantile(xs, 0.99) };
}

async function grow(open: OpenDatabase, users: number): Promise<ServiceContext> {
  const context = makeContext(open);
  await initExample(context);
  await createGroup(context, { path: "Staff/London" });
  const account = await findAccountByCodeKey(open.db, "cxay");
  const [group] = await findGroupsByPathKeys(open.db, account?.id ?? "", ["staff/london"]);
  if (!account || !group) throw new Error("setup failed");
  for (let start = 0; start < users; start += BATCH) {
    const began = performance.now();
    const now = new Date().toISOString();
    const rows: NewUserRow[] = [];
    const addresses: AddressRow[] = [];
    for (let i = start; i < Math.min(users, start + BATCH); i++) {
      const email = `user${i}@example.com`;
      const row = newUserRow({
        accountId: account.id,
        email: { address: email, key: email },
        name: `User Number ${i} Ünïcødé`,
        type: "imported",
        now,
      });
      rows.push(row);
      addresses.push({
        address_key: email,
        account_id: account.id,
        user_id: row.id,
        address: email,
        kind: "primary",
      });
      for (const alias of [`u${i}.a@example.com`, `u${i}.b@example.com`, `u${i}.c@example.org`]) {
        addresses.push({
          address_key: alias,
          account_id: account.id,
          user_id: row.id,
          address: alias,
          kind: "alias",
        });
      }
    }
    await open.db.transaction().execute(async (tx) => {
      await insertUsersBulk(tx, rows);
      await insertAddresses(tx, addresses);
      await insertGroupMembers(
        tx,
        rows.map((r) => ({ account_id: account.id, group_id: group.id, user_id: r.id })),
      );
    });
    const seconds = (performance.now() - began) / 1000;
    console.log(
      `  grown to ${Math.min(users, start + BATCH)} users: ${seconds.toFixed(1)} s for the last ${rows.length}`,
    );
  }
  return context;
}

/** A built-CLI run: wall time and peak RSS (GNU time), stdout drained by a reader that only counts. */
function runCli(args: readonly string[]): Promise<{ seconds: number; peakMb: number; bytes: number }> {
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

async function measure(dialect: "sqlite" | "postgres", users: number): Promise<void> {
  let open: OpenDatabase;
  let url: string;
  let cleanup: () => Promise<void>;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mailroster-million-"));
    open = createSqliteDatabase(join(dir, "million.db"));
    url = `sqlite:${join(dir, "million.db")}`;
    cleanup = () => {
      if (!values.keep) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  } else {
    const schema = `million_${randomBytes(4).toString("hex")}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    open = createPostgresDatabase({ connectionString: pgUrl, options: `-c search_path=${schema}` });
    url = `${pgUrl}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    cleanup = async () => {
      if (!values.keep) await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  }
  try {
    console.log(`\n${dialect}, ${users.toLocaleString("en")} users (load ${loadavg()[0]?.toFixed(1)}):`);
    await migrateToLatest(open.db);
    const context = await grow(open, users);
    if (dialect === "postgres") await sql`analyze`.execute(open.db);
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
    ] as const) {
      row(label, await time(() => searchUsers(context, { account, text, limit: 50 })));
    }
    row("users: first page (50, by address)", await time(() => searchUsers(context, { account, limit: 50 })));
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
      await time(() => searchUsers(context, { account, limit: 50, cursor })),
    );
    row(
      "users: first page by name",
      await time(() => searchUsers(context, { account, limit: 50, sort: "name" })),
    );
    row(
      "users: first page, newest first",
      await time(() => searchUsers(context, { account, limit: 50, sort: "updated" })),
    );
    row(
      "users: group filter (Staff, with subgroups)",
      await time(() => searchUsers(context, { account, limit: 50, group: "Staff" })),
    );
    row(
      "group members: first page (200)",
      await time(() => showGroupMembers(context, { account, path: "Staff/London" })),
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
        `(2,000,000 addresses: ${(((bytes / addresses) * 2e6) / 1e6).toFixed(0)} MB at this load; RSS +` +
        `${((heapAfter.rss - heapBefore.rss) / 1e6).toFixed(0)} MB while loading)`,
    );
    let checks = 0;
    const until = performance.now() + 2000;
    while (performance.now() < until) {
      for (let i = 0; i < 1000; i++) index.verdictOfLoaded(`user${(checks + i) % (users * 1.5)}@example.com`);
      checks += 1000;
    }
    console.log(`  recipient index: ${(checks / 2).toLocaleString("en")} look-ups/s from memory (one core)`);
    await open.close();

    const check = await runCli(["recipients", "check", `user${users - 1}@example.com`, "--db", url]);
    console.log(`  CLI recipients check: ${check.seconds.toFixed(2)} s, peak ${check.peakMb.toFixed(0)} MB`);
    const list = await runCli(["users", "list", "--json", "--db", url]);
    console.log(
      `  CLI users list --json | reader: ${list.seconds.toFixed(1)} s, peak ${list.peakMb.toFixed(0)} MB, ` +
        `${(list.bytes / 1e6).toFixed(0)} MB written`,
    );
  } finally {
    await open.close().catch(() => undefined);
    await cleanup();
  }
}

const dialects = values.dialect ?? ["sqlite", "postgres"];
const users = Number(values.users);
for (const dialect of dialects) {
  await measure(
    dialect === "postgres" ? "postgres" : "sqlite",
    dialect === "postgres" ? Number(values["postgres-users"] ?? users) : users,
  );
}
