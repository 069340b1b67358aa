/**
 * `npm run bench:million`: a directory grown to N users (default 1,000,000; `--users 100000` for a quick run)
 * on SQLite and PostgreSQL with the import's bulk writers (65,534 users a transaction, three aliases each,
 * every user in Staff/London), then search, the first and a deep page of users, a group's members, the
 * recipient index's bytes per address and checks per second, and the built CLI (`recipients check`, `users
 * list --json` into a pipe: time and peak RSS). Prints medians and p99 against issue 15's targets (search and
 * pages < 50 ms median, < 200 ms p99; recipients check < 0.5 s and 150 MB; users list < 150 MB). Needs dist/
 * (npm run build). Not a test: the machine's load is printed, and the figures move with it.
 */
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { newUserRow, type NewUserRow } from "../src/directory/new-user-row.js";
import { createGroup } from "../src/services/groups-service.js";
import type { ServiceContext } from "../src/services/context.js";
import { findAccountByCodeKey } from "../src/store/accounts-repository.js";
import { insertAddresses, type AddressRow } from "../src/store/addresses-repository.js";
import { findGroupsByPathKeys, insertGroupMembers } from "../src/store/groups-repository.js";
import { migrateToLatest } from "../src/store/migrate.js";
import type { OpenDatabase } from "../src/store/open-database.js";
import { insertUsersBulk } from "../src/store/users-repository.js";
import { initExample, makeContext } from "../test/support/service-context.js";
import { openBenchDatabase } from "./bench-database.js";
import { measureCli, measureLatencies } from "./directory-latency.js";

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
const BATCH = 65_534;

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

async function measure(dialect: "sqlite" | "postgres", users: number): Promise<void> {
  const { open, url, cleanup } = await openBenchDatabase(dialect, "million", values.keep);
  try {
    console.log(`\n${dialect}, ${users.toLocaleString("en")} users (load ${loadavg()[0]?.toFixed(1)}):`);
    await migrateToLatest(open.db);
    const context = await grow(open, users);
    if (dialect === "postgres") await sql`analyze`.execute(open.db);
    await measureLatencies(open, context, users, samples);
    await open.close();

    await measureCli(url, users);
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
