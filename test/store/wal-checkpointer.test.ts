import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteDatabase } from "../../src/store/open-database.js";
import { startWalCheckpointer } from "../../src/store/wal-checkpointer.js";

// A server's SQLite log is copied into the database file by a worker thread, not inside the commit the
// administrator waits for (an import's commit spent ~1.2 s of a 65,534-user save there).

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-wal-"));
  dirs.push(dir);
  return join(dir, "wal.db");
}

/** Writes about 8 MB in one transaction on a connection that leaves checkpoints to someone else. */
function fillWithoutCheckpoint(path: string): SQLite.Database {
  const db = new SQLite(path);
  db.pragma("journal_mode = WAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("create table t (id integer primary key, body text)");
  const insert = db.prepare("insert into t (body) values (?)");
  db.transaction(() => {
    for (let i = 0; i < 8000; i++) insert.run("x".repeat(1000));
  })();
  return db;
}

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

describe("the WAL checkpointer", () => {
  it("copies committed pages into the database file on its own thread, and stops when closed", async () => {
    const path = tempDb();
    const db = fillWithoutCheckpoint(path);
    // Committed, but only in the log: the commit did not checkpoint.
    expect(statSync(path).size).toBeLessThan(1_000_000);
    const checkpointer = startWalCheckpointer(path, { intervalMs: 20 });
    expect(await until(() => statSync(path).size > 7_000_000, 10_000)).toBe(true);
    await checkpointer.close();
    await checkpointer.close();
    expect(db.prepare("select count(*) as n from t").get()).toEqual({ n: 8000 });
    db.close();
  });

  it("keeps a server's writes when its database closes (the last close checkpoints the rest)", async () => {
    const path = tempDb();
    const open = createSqliteDatabase(path, { backgroundCheckpoints: true });
    await open.db.schema.createTable("notes").addColumn("body", "text").execute();
    await open.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 200; i++) {
        await tx
          .insertInto("notes" as never)
          .values({ body: `note ${i}` })
          .execute();
      }
    });
    await open.close();
    // The log was folded in and removed by the last close.
    expect(() => statSync(`${path}-wal`)).toThrow();
    const again = new SQLite(path, { readonly: true });
    expect(again.prepare("select count(*) as n from notes").get()).toEqual({ n: 200 });
    again.close();
  });
});
