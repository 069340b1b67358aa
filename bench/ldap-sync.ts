/**
 * `npm run bench:sync`: Sync All of 65,535 LDAP entries into SQLite (issue 6 target: under 15 s). The entries
 * are loaded into a private slapd with `slapadd -q`; each run syncs into a fresh SQLite file, from the first
 * LDAP bind to the commit. Prints the median of the first (all created) and of the second (nothing changed)
 * sync, and the share of the first spent reading LDAP.
 */
import { randomBytes } from "node:crypto";
import { loadavg, cpus } from "node:os";
import { parseArgs } from "node:util";
import { readLdapDirectory, type DirectoryReader } from "../src/adapters/ldap-directory.js";
import { createSecretBox } from "../src/adapters/secret-box.js";
import { syncAll } from "../src/services/sync/run-sync.js";
import { addTestConnector } from "../test/support/ldap-fixtures.js";
import { withExampleSqlite } from "../test/support/service-context.js";
import { personLdif, startSlapd } from "../test/support/slapd.js";

const { values } = parseArgs({
  options: { entries: { type: "string", default: "65535" }, runs: { type: "string", default: "3" } },
});
const count = Number(values.entries);
const runs = Number(values.runs);

const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs`,
);
const ldif: string[] = [];
for (let i = 0; i < count; i++) {
  const n = String(i).padStart(5, "0");
  ldif.push(personLdif(`user${n}`, `user${n}@example.com`, `User ${n}`, [`u${n}@example.org`]));
}
let started = performance.now();
const slapd = await startSlapd({ bulkLdif: ldif.join("\n") });
console.log(
  `slapadd -q of ${count} entries and slapd start: ${((performance.now() - started) / 1000).toFixed(1)} s`,
);

const firstMs: number[] = [];
const secondMs: number[] = [];
const readMs: number[] = [];
try {
  for (let run = 0; run < runs; run++) {
    await withExampleSqlite(async (context) => {
      const secrets = createSecretBox(randomBytes(32));
      await addTestConnector(context, secrets, slapd);
      let lastRead = 0;
      const timedReader: DirectoryReader = async (request) => {
        const t = performance.now();
        const entries = await readLdapDirectory(request);
        lastRead = performance.now() - t;
        return entries;
      };
      started = performance.now();
      const result = await syncAll(context, {}, { secrets, readDirectory: timedReader });
      firstMs.push(performance.now() - started);
      const firstRead = lastRead;
      readMs.push(firstRead);
      if (result.created !== count || result.errors.length > 0) {
        throw new Error(`unexpected result: created ${result.created}, errors ${result.errors.length}`);
      }
      started = performance.now();
      const again = await syncAll(context, {}, { secrets, readDirectory: timedReader });
      secondMs.push(performance.now() - started);
      if (again.created + again.updated + again.flagged !== 0)
        throw new Error("second sync changed something");
      console.log(
        `run ${run + 1}: first sync ${(firstMs[run] ?? 0).toFixed(0)} ms (LDAP read ${firstRead.toFixed(0)} ms), ` +
          `second ${(secondMs[run] ?? 0).toFixed(0)} ms`,
      );
    });
  }
} finally {
  await slapd.stop();
}
const first = median(firstMs);
console.log(
  `median first sync of ${count} entries into SQLite: ${(first / 1000).toFixed(2)} s ` +
    `(target < 15 s: ${first < 15_000 ? "met" : "NOT met"}; LDAP read ${(median(readMs) / 1000).toFixed(2)} s); ` +
    `median unchanged re-sync: ${(median(secondMs) / 1000).toFixed(2)} s`,
);
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
