/**
 * `npm run bench:scim`: SCIM provisioning rates through the whole HTTP stack (app.request, as an identity
 * provider's requests arrive after TLS): users created one at a time (as Entra and Okta do), eight at a time
 * in parallel, and one Bulk request of 1,000 creations; on SQLite and PostgreSQL. No passwords (argon2id would
 * be the whole measurement: see bench:import). Prints the median of each over the runs.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createApp } from "../src/http/app.js";
import { RateLimiter } from "../src/http/rate-limit.js";
import { createApiToken } from "../src/services/api-tokens-service.js";
import { migrateToLatest } from "../src/store/migrate.js";
import {
  createPostgresDatabase,
  createSqliteDatabase,
  type OpenDatabase,
} from "../src/store/open-database.js";
import { initExample, makeContext } from "../test/support/service-context.js";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "300" },
    runs: { type: "string", default: "3" },
    postgres: {
      type: "string",
      default: process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    },
  },
});
const users = Number(values.users);
const runs = Number(values.runs);
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function openFresh(
  dialect: "sqlite" | "postgres",
): Promise<{ open: OpenDatabase; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "mailroster-bench-scim-"));
    const open = createSqliteDatabase(join(dir, "bench.db"));
    return {
      open,
      drop: async () => {
        await open.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `bench_scim_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const open = createPostgresDatabase({
    connectionString: values.postgres,
    options: `-c search_path=${schema}`,
  });
  return {
    open,
    drop: async () => {
      await open.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

const userBody = (prefix: string, i: number) => ({
  schemas: [USER],
  externalId: `${prefix}-${i}`,
  userName: `${prefix}.${i}@example.com`,
  name: { givenName: "Bench", familyName: `User ${i}` },
  emails: [{ primary: true, type: "work", value: `${prefix}.${i}@example.com` }],
  active: true,
});

async function measure(
  dialect: "sqlite" | "postgres",
): Promise<{ sequential: number; parallel: number; bulk: number }> {
  const { open, drop } = await openFresh(dialect);
  try {
    await migrateToLatest(open.db);
    const system = makeContext(open);
    await initExample(system);
    const { token } = await createApiToken(
      { ...system, actor: { kind: "user", email: "admin@example.com" } },
      { name: "bench" },
    );
    const app = createApp({ ...system, scimLimiter: new RateLimiter(1e9, 60_000, () => new Date()) });
    const post = async (path: string, body: unknown) => {
      const response = await app.request(`http://bench/scim/v2${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: JSON.stringify(body),
      });
      if (response.status >= 300) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response;
    };
    let t = performance.now();
    for (let i = 0; i < users; i++) await post("/Users", userBody("seq", i));
    const sequential = users / ((performance.now() - t) / 1000);
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < users) await post("/Users", userBody("par", next++));
      }),
    );
    const parallel = users / ((performance.now() - t) / 1000);
    t = performance.now();
    const reply = await post("/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: Array.from({ length: 1000 }, (_, i) => ({
        method: "POST",
        path: "/Users",
        bulkId: `b${i}`,
        data: userBody("bulk", i),
      })),
    });
    const ops = ((await reply.json()) as { Operations: { status: string }[] }).Operations;
    if (ops.some((o) => o.status !== "201")) throw new Error("a Bulk operation failed");
    const bulk = (performance.now() - t) / 1000;
    return { sequential, parallel, bulk };
  } finally {
    await drop();
  }
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs; ${users} users per rate, ${runs} runs`,
);
for (const dialect of ["sqlite", "postgres"] as const) {
  const results = [];
  for (let run = 0; run < runs; run++) results.push(await measure(dialect));
  console.log(
    `${dialect}: sequential ${median(results.map((r) => r.sequential)).toFixed(0)} users/s, ` +
      `8 in parallel ${median(results.map((r) => r.parallel)).toFixed(0)} users/s, ` +
      `Bulk of 1,000 ${median(results.map((r) => r.bulk)).toFixed(2)} s ` +
      `(${(1000 / median(results.map((r) => r.bulk))).toFixed(0)} users/s)`,
  );
}
