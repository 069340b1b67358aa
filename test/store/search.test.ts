import { sql } from "kysely";
import { describe, expect, it, vi } from "vitest";
import { installTrigram } from "../../src/store/migrations/0014-search.js";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { searchSortKey } from "../../src/store/search-keys.js";
import { deleteUsers, insertUsersBulk } from "../../src/store/users-repository.js";
import { insertAddresses } from "../../src/store/addresses-repository.js";
import { BULK_SEARCH_INDEX } from "../../src/store/search-index-repository.js";
import { newUserRow } from "../../src/directory/new-user-row.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { searchUsers, type UserSearchRequest } from "../../src/services/users/search-users.js";
import { showGroupMembers } from "../../src/services/directory-views-service.js";
import { setAliases } from "../../src/services/users/update-user.js";
import type { ServiceContext } from "../../src/services/context.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { seededRandom } from "../support/seeded-random.js";
import { initExample, makeContext } from "../support/service-context.js";

/** Locks a user straight in the table (these tests need one locked user, not the lockout rules). */
async function setUserLocked(open: OpenDatabase, email: string): Promise<void> {
  await open.db
    .updateTable("users")
    .set({ locked: 1, updated_at: new Date(Date.now() + 60_000).toISOString() })
    .where("email_key", "=", email)
    .execute();
}

const emails = async (context: ServiceContext, request: Omit<UserSearchRequest, "account">) =>
  (await searchUsers(context, { account: "CxAy", ...request })).items.map((u) => u.email);

describe.each(DIALECTS)("user search and lists on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  async function directory(): Promise<ServiceContext> {
    const context = makeContext(getDb());
    await initExample(context);
    await saveUsers(context, {
      users: [
        { email: "user10@example.com", name: "Ten", type: "imported", groups: ["Staff/London"] },
        { email: "user2@example.com", name: "Two", type: "imported", groups: ["Staff"] },
        { email: "user1@example.com", name: "Ünïcødé Tester", type: "imported" },
        { email: "ann@example.com", name: "Ann", type: "imported", attributes: { Site: "Paris" } },
        { email: "joanna@example.com", name: "Joanna", type: "imported", attributes: { Site: "Paris 2" } },
        { email: "zed@example.com", name: "Annabel", type: "imported", groups: ["Staff/London"] },
      ],
    });
    return context;
  }

  /**
   * Builder: `count` users of CxAy written by the import's bulk writers in one transaction, user `i` at
   * `user(i)` with the aliases `aliases(i)` (addresses as typed; keys in lower case).
   */
  async function bulkUsers(
    count: number,
    user: (i: number) => { address: string; name: string },
    aliases: (i: number) => string[],
  ): Promise<void> {
    const db = getDb().db;
    const account = await db
      .selectFrom("accounts")
      .select("id")
      .where("code", "=", "CxAy")
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const users = Array.from({ length: count }, (_, i) => {
      const { address, name } = user(i);
      return newUserRow({
        accountId: account.id,
        email: { address, key: address.toLowerCase() },
        name,
        type: "imported",
        now,
      });
    });
    await db.transaction().execute(async (tx) => {
      await insertUsersBulk(tx, users);
      await insertAddresses(
        tx,
        users.flatMap((u, i) => [
          {
            address_key: u.email_key,
            account_id: u.account_id,
            user_id: u.id,
            address: u.email,
            kind: "primary",
          },
          ...aliases(i).map((alias) => ({
            address_key: alias.toLowerCase(),
            account_id: u.account_id,
            user_id: u.id,
            address: alias,
            kind: "alias",
          })),
        ]),
      );
    });
  }

  it("orders addresses numerically, the same on both databases", async () => {
    const context = await directory();
    expect(await emails(context, { limit: 50 })).toEqual([
      "admin@example.com",
      "ann@example.com",
      "joanna@example.com",
      "user1@example.com",
      "user2@example.com",
      "user10@example.com",
      "zed@example.com",
    ]);
    // The database's key is the JavaScript key, character for character (the triggers compute it in SQL).
    const texts = ["user10@x", "A2b33c", "ÜNÏ 9", "x0007y", "ﬁle12", ""];
    for (const text of texts) {
      const { rows } = await sql<{ k: string }>`select mailroster_sort_key(${text}) as k`.execute(getDb().db);
      expect(rows[0]?.k).toBe(searchSortKey(text));
    }
    expect(["b10", "b9", "a100", "b010"].map(searchSortKey).sort()).toEqual(
      ["a100", "b9", "b10", "b010"].map(searchSortKey),
    );
  });

  it("finds any part of a name, address or alias in any case, exact matches first", async () => {
    const context = await directory();
    await setAliases(context, "user2@example.com", ["Second.Line@example.org"]);
    expect(await emails(context, { text: "Ünïcødé", limit: 50 })).toEqual(["user1@example.com"]);
    expect(await emails(context, { text: "ünïcødé", limit: 50 })).toEqual(["user1@example.com"]);
    expect(await emails(context, { text: "NÏC", limit: 50 })).toEqual(["user1@example.com"]);
    expect(await emails(context, { text: "SECOND.LINE", limit: 50 })).toEqual(["user2@example.com"]);
    expect(await emails(context, { text: "n", field: "alias", limit: 50 })).toEqual(["user2@example.com"]);
    // "Ann" is a name exactly: first, before the others containing it in address order.
    expect(await emails(context, { text: "ann", limit: 50 })).toEqual([
      "ann@example.com",
      "joanna@example.com",
      "zed@example.com",
    ]);
    expect(await emails(context, { text: "ann", field: "name", limit: 50 })).toEqual([
      "ann@example.com",
      "joanna@example.com",
      "zed@example.com",
    ]);
    // Short text (under a trigram) scans, and a LIKE wildcard is a character like any other.
    expect(await emails(context, { text: "wo", limit: 50 })).toEqual(["user2@example.com"]);
    expect(await emails(context, { text: "%", limit: 50 })).toEqual([]);
    expect(await emails(context, { attribute: "site", attributeValue: "Paris", limit: 50 })).toEqual([
      "ann@example.com",
    ]);
    // Attribute values are searched when asked for (a scan), never by the indexed search of every field.
    expect(await emails(context, { text: "paris", limit: 50 })).toEqual([]);
    expect(await emails(context, { field: "attribute", text: "paris", limit: 50 })).toEqual([
      "ann@example.com",
      "joanna@example.com",
    ]);
    expect(await emails(context, { attribute: "site", text: "paris", limit: 50 })).toEqual([
      "ann@example.com",
      "joanna@example.com",
    ]);
  });

  it("pages by keyset forwards and back, with filters and sorts", async () => {
    const context = await directory();
    const first = await searchUsers(context, { account: "CxAy", limit: 3 });
    expect(first.items.map((u) => u.email)).toEqual([
      "admin@example.com",
      "ann@example.com",
      "joanna@example.com",
    ]);
    expect(first).toMatchObject({ total: 7, totalCapped: false, prevCursor: null });
    const second = await searchUsers(context, { account: "CxAy", limit: 3, cursor: first.nextCursor ?? "" });
    expect(second.items.map((u) => u.email)).toEqual([
      "user1@example.com",
      "user2@example.com",
      "user10@example.com",
    ]);
    const third = await searchUsers(context, { account: "CxAy", limit: 3, cursor: second.nextCursor ?? "" });
    expect(third.items.map((u) => u.email)).toEqual(["zed@example.com"]);
    expect(third.nextCursor).toBeNull();
    const back = await searchUsers(context, { account: "CxAy", limit: 3, cursor: third.prevCursor ?? "" });
    expect(back.items.map((u) => u.email)).toEqual(second.items.map((u) => u.email));
    const backToFirst = await searchUsers(context, {
      account: "CxAy",
      limit: 3,
      cursor: back.prevCursor ?? "",
    });
    expect(backToFirst.items.map((u) => u.email)).toEqual(first.items.map((u) => u.email));
    expect(backToFirst.prevCursor).toBeNull();
    await expect(
      searchUsers(context, { account: "CxAy", limit: 3, sort: "name", cursor: first.nextCursor ?? "" }),
    ).rejects.toMatchObject({ code: "cursor_invalid" });
    await expect(
      searchUsers(context, { account: "CxAy", limit: 3, cursor: "garbage" }),
    ).rejects.toMatchObject({
      code: "cursor_invalid",
    });

    // By name: Ann, Annabel, Joanna, Ten, Two, then Ü (after every ASCII letter in code-point order).
    const byName = await emails(context, { sort: "name", limit: 50 });
    expect(byName.filter((e) => e !== "admin@example.com")).toEqual([
      "ann@example.com",
      "zed@example.com",
      "joanna@example.com",
      "user10@example.com",
      "user2@example.com",
      "user1@example.com",
    ]);
    expect(await emails(context, { group: "staff", limit: 50 })).toEqual([
      "user2@example.com",
      "user10@example.com",
      "zed@example.com",
    ]);
    expect(await emails(context, { group: "Staff/London", limit: 50 })).toEqual([
      "user10@example.com",
      "zed@example.com",
    ]);
    await setUserLocked(getDb(), "ann@example.com");
    expect(await emails(context, { status: "locked", limit: 50 })).toEqual(["ann@example.com"]);
    expect(await emails(context, { status: "active", type: "imported", limit: 50 })).toHaveLength(5);
    const updated = await emails(context, { sort: "updated", limit: 1 });
    expect(updated).toEqual(["ann@example.com"]);
    // The older offset paging answers as before, with an exact total.
    const legacy = await searchUsers(context, { account: "CxAy", page: 2, pageSize: 3 });
    expect(legacy).toMatchObject({ page: 2, pageSize: 3, total: 7 });
    expect(legacy.items.map((u) => u.email)).toEqual(second.items.map((u) => u.email));
  });

  it("keeps the index in step with renames, aliases and deletions", async () => {
    const context = await directory();
    await saveUsers(context, { users: [{ email: "user2@example.com", name: "Renamed Person" }] });
    expect(await emails(context, { text: "renamed", limit: 50 })).toEqual(["user2@example.com"]);
    expect(await emails(context, { text: "two", limit: 50 })).toEqual([]);
    await setAliases(context, "user2@example.com", ["old.alias@example.org"]);
    await setAliases(context, "user2@example.com", []);
    expect(await emails(context, { text: "old.alias", limit: 50 })).toEqual([]);
    const { rows } = await sql<{
      id: string;
    }>`select id from users where email_key = 'user2@example.com'`.execute(getDb().db);
    await deleteUsers(
      getDb().db,
      rows.map((r) => r.id),
    );
    expect(await emails(context, { text: "renamed", limit: 50 })).toEqual([]);
    const { rows: left } = await sql<{ n: number }>`select count(*) as n from user_search`.execute(
      getDb().db,
    );
    expect(Number(left[0]?.n)).toBe(6);
  });

  it("pages a group's members by address and counts them, a deleted user no longer among them", async () => {
    const context = await directory();
    const first = await showGroupMembers(context, { account: "CxAy", path: "Staff/London", limit: 1 });
    expect(first).toMatchObject({ members: ["user10@example.com"], total: 2, totalCapped: false });
    const next = await showGroupMembers(context, {
      account: "CxAy",
      path: "Staff/London",
      limit: 1,
      cursor: first.nextCursor ?? "",
    });
    expect(next).toMatchObject({ members: ["zed@example.com"], total: 2, nextCursor: null });
    const { rows } = await sql<{
      id: string;
    }>`select id from users where email_key = 'user10@example.com'`.execute(getDb().db);
    await deleteUsers(
      getDb().db,
      rows.map((r) => r.id),
    );
    expect(await showGroupMembers(context, { account: "CxAy", path: "Staff/London" })).toMatchObject({
      members: ["zed@example.com"],
      total: 1,
    });
  });

  it("indexes a bulk insert (an import's slice) as the triggers index one user", async () => {
    const context = await directory();
    const db = getDb().db;
    await bulkUsers(
      BULK_SEARCH_INDEX + 8,
      (i) => ({ address: `Bulk${i}@example.com`, name: `Bulk Ünï ${i}` }),
      (i) => [`B${i}.Alias@example.org`],
    );
    // Found by name in any case, by address, by alias, and listed in numeric order.
    expect(await emails(context, { text: "BULK ÜNÏ 39", limit: 50 })).toEqual(["Bulk39@example.com"]);
    expect(await emails(context, { text: "b7.alias", field: "alias", limit: 50 })).toEqual([
      "Bulk7@example.com",
    ]);
    expect((await emails(context, { text: "bulk", limit: 3 })).slice(0, 3)).toEqual([
      "Bulk0@example.com",
      "Bulk1@example.com",
      "Bulk2@example.com",
    ]);
    // Each row holds the keys the triggers compute in SQL, and a user inserted alone after is indexed again.
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from user_search s join users u on u.id = s.user_id
      where s.address_sort <> mailroster_sort_key(u.email_key) or s.name_sort <> mailroster_sort_key(u.name)
        or s.doc <> concat(mailroster_fold(u.name), cast(${"\n"} as text), u.email_key)`.execute(db);
    expect(Number(rows[0]?.n)).toBe(0);
    await saveUsers(context, { users: [{ email: "single@example.com", name: "Alone", type: "imported" }] });
    expect(await emails(context, { text: "alone", limit: 50 })).toEqual(["single@example.com"]);
  });

  it("finds every user whose several aliases match, and short text in any part", async () => {
    const context = await directory();
    // 400 users with three aliases each holding "qzx": 1,200 alias rows, more than the 1,000 candidates read.
    await bulkUsers(
      400,
      (i) => ({ address: `many${i}@example.com`, name: `Many ${i}` }),
      (i) => ["a", "b", "c"].map((part) => `qzx${i}.${part}@example.org`),
    );
    for (const text of ["qzx", "zx"]) {
      const found = await searchUsers(context, { account: "CxAy", text, limit: 50 });
      expect([text, found.total]).toEqual([text, 400]);
      expect(found.items).toHaveLength(50);
    }
    // Two letters inside a name, in one user: found without walking the directory.
    expect(await emails(context, { text: "wO", limit: 50 })).toEqual(["user2@example.com"]);
    expect(await emails(context, { text: "q9", limit: 50 })).toEqual([]);
  });

  it("finds text of one or two characters exactly as reading every user would", async () => {
    const context = await directory();
    // Names and local parts from a few letters (Greek among them: FTS5 folds final sigma apart; a quote and a
    // backslash, which a query of PostgreSQL's index must quote), so most texts
    // of one or two characters match someone, some match few, and the ends of names, addresses and aliases
    // are hit; aliases in both internal domains.
    const random = seededRandom(15);
    const letters = ["q", "z", "x", "ς", "σ", "ü", "1", "-", "'", "\\"];
    const word = (length: number) =>
      Array.from({ length }, () => letters[Math.floor(random() * letters.length)] ?? "q").join("");
    const people = Array.from({ length: 120 }, (_, i) => ({
      address: `${word(2)}${i}${word(1)}@example.com`.replace(/[ςσü\\]/g, "k"),
      name: `${word(1 + (i % 4))} ${word(2)}`,
      // Five users hold an alias in example.org: text only its name holds ("rg") is rare, not common.
      aliases:
        i % 3 === 0
          ? [`${word(2)}.${i}@example.${i % 24 === 0 ? "org" : "com"}`.replace(/[ςσü\\]/g, "v")]
          : [],
    }));
    await bulkUsers(
      120,
      (i) => people[i] ?? { address: "", name: "" },
      (i) => people[i]?.aliases ?? [],
    );
    const texts = [
      ...letters,
      ...letters.flatMap((a) => letters.map((b) => a + b)),
      "om",
      "g",
      "rg",
      "e.",
      ".o",
      "@e",
      "Σ",
    ];
    for (const text of texts) {
      const folded = text.toLowerCase();
      const expected = people
        .filter((p) =>
          [`${p.name.toLowerCase()}\n${p.address}`, ...p.aliases].some((t) => t.includes(folded)),
        )
        .map((p) => p.address);
      const found = await searchUsers(context, { account: "CxAy", text, limit: 200 });
      const ours = found.items.map((u) => u.email).filter((e) => people.some((p) => p.address === e));
      expect([text, ours.sort()]).toEqual([text, [...expected].sort()]);
    }
    // The last characters of an internal domain: every user in it.
    const all = (await searchUsers(context, { account: "CxAy", limit: 1 })).total;
    expect((await searchUsers(context, { account: "CxAy", text: "om", limit: 200 })).total).toBe(all);
    expect((await searchUsers(context, { account: "CxAy", text: "rg", limit: 200 })).total).toBe(5);
  });

  it("finds a whole address inside others, never its local part alone", async () => {
    const context = await directory();
    await bulkUsers(
      40,
      (i) => ({ address: i === 0 ? "xann@example.com" : `other${i}@example.com`, name: `Other ${i}` }),
      // ann@ in an alias of another domain, and in the middle of an address: neither holds the whole text.
      (i) => (i === 1 ? ["ann@example.org", "ann@example.co.uk"] : []),
    );
    const found = await searchUsers(context, { account: "CxAy", text: "ANN@Example.com", limit: 50 });
    expect(found.items.map((u) => u.email)).toEqual(["ann@example.com", "xann@example.com"]);
    expect(found.total).toBe(2);
    expect(await emails(context, { text: "ann@example.co.", limit: 50 })).toEqual(["other1@example.com"]);
  });

  it("counts a common text to its cap, and only the users a filter keeps", async () => {
    const context = await directory();
    // 1,100 users with an alias holding "kq": more than the thousand a search counts row by row.
    await bulkUsers(
      1100,
      (i) => ({ address: `common${i}@example.com`, name: `Common ${i}` }),
      (i) => [`kq${i}@example.org`],
    );
    await setUserLocked(getDb(), "common7@example.com");
    await setUserLocked(getDb(), "common1000@example.com");
    for (const text of ["kq", "Example.ORG"]) {
      const found = await searchUsers(context, { account: "CxAy", text, limit: 50 });
      expect([text, found.total, found.totalCapped]).toEqual([text, 1000, true]);
      expect(found.items).toHaveLength(50);
      const locked = await searchUsers(context, { account: "CxAy", text, status: "locked", limit: 50 });
      expect([text, locked.total, locked.totalCapped]).toEqual([text, 2, false]);
      // The address field: none of them holds the text in its primary address.
      const byAddress = await searchUsers(context, { account: "CxAy", text, field: "address", limit: 50 });
      expect([text, byAddress.total, byAddress.items]).toEqual([text, 0, []]);
    }
  });

  if (dialect === "postgres") {
    it("reads tables from their start and compiles no plan, on every connection", async () => {
      // A LIMIT'd scan that began where the last one stopped made a short search 30 ms or 5 s by chance.
      const db = getDb().db;
      const settings = await Promise.all(
        Array.from({ length: 3 }, () =>
          sql<{ jit: string; scans: string }>`select current_setting('jit') as jit,
            current_setting('synchronize_seqscans') as scans from pg_sleep(0.05)`.execute(db),
        ),
      );
      expect(settings.map((r) => r.rows[0])).toEqual(Array(3).fill({ jit: "off", scans: "off" }));
    });

    it("falls back to a scan, loudly, where pg_trgm is not available", async () => {
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      try {
        const db = getDb().db;
        const schema = await db
          .transaction()
          .execute((tx) => installTrigram(tx as never, "pg_trgm_not_here"));
        expect(schema).toBeUndefined();
        expect(warn).toHaveBeenCalledWith(expect.stringContaining("SCAN"));
        await sql`drop index user_search_doc_idx`.execute(db);
        await sql`drop index addresses_alias_trgm_idx`.execute(db);
        const context = await directory();
        expect(await emails(context, { text: "NÏC", limit: 50 })).toEqual(["user1@example.com"]);
      } finally {
        warn.mockRestore();
      }
    });
  }
});
