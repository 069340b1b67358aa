import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserRow } from "../../src/directory/new-user-row.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { createSqliteDatabase } from "../../src/store/open-database.js";
import { findAccountByCodeKey } from "../../src/store/accounts-repository.js";
import { insertUsersBulk } from "../../src/store/users-repository.js";
import { initExample, makeContext } from "../support/service-context.js";

const USERS = 40_000;
const child = resolve(import.meta.dirname, "streaming-child.ts");

/**
 * Runs the CLI in a child with a small heap (the old `users list --json`, which built every view and one
 * string of them all, needs several times this) and reads its stdout slowly, a chunk at a time.
 */
function runSlowly(args: string[]): Promise<{ code: number | null; stdout: string; maxRssKib: number }> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ["--max-old-space-size=48", "--import", "tsx", child, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    proc.stdout.pause();
    // A slow reader: one chunk every few milliseconds, so the pipe fills and the writer must wait.
    const timer = setInterval(() => {
      for (let i = 0; i < 4; i++) {
        const chunk = proc.stdout.read() as Buffer | null;
        if (chunk === null) break;
        chunks.push(chunk);
      }
    }, 2);
    proc.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    proc.on("error", fail);
    proc.on("close", (code) => {
      clearInterval(timer);
      for (let c = proc.stdout.read() as Buffer | null; c !== null; c = proc.stdout.read() as Buffer | null)
        chunks.push(c);
      const rss = /maxrss-kib=(\d+)/.exec(stderr);
      if (code !== 0) fail(new Error(`exit ${code}: ${stderr.slice(-2000)}`));
      else done({ code, stdout: Buffer.concat(chunks).toString("utf8"), maxRssKib: Number(rss?.[1] ?? 0) });
    });
  });
}

describe("the CLI streams long lists", () => {
  let dir = "";
  let url = "";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-stream-"));
    const path = join(dir, "stream.db");
    url = `sqlite:${path}`;
    const open = createSqliteDatabase(path);
    try {
      await migrateToLatest(open.db);
      const context = makeContext(open);
      await initExample(context);
      const account = await findAccountByCodeKey(open.db, "cxay");
      if (!account) throw new Error("no account");
      const now = new Date().toISOString();
      const rows = Array.from({ length: USERS }, (_, i) =>
        newUserRow({
          accountId: account.id,
          email: { address: `user${i}@example.com`, key: `user${i}@example.com` },
          name: `User ${i}`,
          type: "imported",
          now,
        }),
      );
      await open.db.transaction().execute((tx) => insertUsersBulk(tx, rows));
    } finally {
      await open.close();
    }
  }, 120_000);

  // Checked once by hand: the code before streaming (listUsers, then one JSON.stringify) dies of heap
  // exhaustion under this child's 48 MB heap with these 40,000 users.
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("users list --json into a slow pipe: every user, in bounded memory", async () => {
    const run = await runSlowly(["users", "list", "--json", "--db", url]);
    const users = JSON.parse(run.stdout) as { email: string }[];
    expect(users).toHaveLength(USERS + 1);
    const emails = users.map((u) => u.email);
    expect(emails).toEqual([...emails].sort());
    expect(new Set(emails).size).toBe(USERS + 1);
    // Under tsx the process starts at ~140 MB (the compiler and the transformed sources): what matters is
    // what listing adds on top of a run that lists nothing. (bench/million.ts measures the built CLI.)
    const baseline = await runSlowly(["--help"]);
    expect(run.maxRssKib - baseline.maxRssKib).toBeLessThan(48 * 1024);
  }, 120_000);

  it("audit list --json into a slow pipe", async () => {
    const run = await runSlowly(["audit", "list", "--json", "--db", url]);
    const entries = JSON.parse(run.stdout) as { action: string }[];
    expect(entries.map((e) => e.action).slice(0, 2)).toEqual(["account.create", "domain.create"]);
  }, 120_000);
});
