import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql, type Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteDatabase, type OpenDatabase } from "../../src/store/open-database.js";

// The tables of these tests are not in the product's schema: the queries are raw.
const rows = async (db: Kysely<unknown>): Promise<number[]> =>
  (await sql<{ n: number }>`select n from t order by n`.execute(db)).rows.map((r) => r.n);

describe("SQLite on a writer and a reader", () => {
  let dir: string | undefined;
  let open: OpenDatabase | undefined;

  afterEach(async () => {
    await open?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(): Promise<Kysely<unknown>> {
    dir = mkdtempSync(join(tmpdir(), "mailroster-sqlite-"));
    open = createSqliteDatabase(join(dir, "t.db"));
    const db = open.db as unknown as Kysely<unknown>;
    await sql`create table t (n integer primary key)`.execute(db);
    await sql`insert into t values (1)`.execute(db);
    return db;
  }

  it("answers reads while a transaction writes, with the last commit; the transaction sees its own rows", async () => {
    const db = await setUp();
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (release = resolve));
    let inside: number[] = [];
    const writing = db.transaction().execute(async (tx) => {
      await sql`insert into t values (2)`.execute(tx);
      inside = await rows(tx);
      await paused;
    });
    // Let the transaction start and write, then read from outside it while it is still open.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await rows(db)).toEqual([1]);
    release();
    await writing;
    expect(inside).toEqual([1, 2]);
    expect(await rows(db)).toEqual([1, 2]);
  });

  it("makes a write outside a transaction wait for the one running, then commits it", async () => {
    const db = await setUp();
    const order: string[] = [];
    let release: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (release = resolve));
    const writing = db.transaction().execute(async (tx) => {
      await sql`insert into t values (2)`.execute(tx);
      await paused;
      order.push("transaction");
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const single = sql`insert into t values (3)`.execute(db).then(() => order.push("single write"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await Promise.all([writing, single]);
    expect(order).toEqual(["transaction", "single write"]);
    expect(await rows(db)).toEqual([1, 2, 3]);
  });

  it("runs a PRAGMA on the writer, whose settings count", async () => {
    const db = await setUp();
    await sql`pragma foreign_keys = off`.execute(db);
    // The writer now takes a row whose parent is missing; the setting reached the connection that writes.
    await sql`create table child (parent integer references t (n))`.execute(db);
    await sql`insert into child values (99)`.execute(db);
    expect((await sql<{ n: number }>`select count(*) as n from child`.execute(db)).rows[0]?.n).toBe(1);
  });

  it("rolls back a failed transaction and hands the writer on", async () => {
    const db = await setUp();
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`insert into t values (2)`.execute(tx);
        await sql`insert into t values (1)`.execute(tx);
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(await rows(db)).toEqual([1]);
    await db.transaction().execute(async (tx) => {
      await sql`insert into t values (4)`.execute(tx);
    });
    expect(await rows(db)).toEqual([1, 4]);
  });
});
