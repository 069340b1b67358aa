/**
 * `npm run bench:smtp`: RCPT TO checks per second answered by the SMTP listener (issue 6 target: at least
 * 5,000/s) from a loopback client. The client is a minimal pipelining-free SMTP speaker on raw sockets, so
 * the figure measures the listener and the in-memory recipient index, not a client library. Several
 * connections run at once; each sends RCPT TO after RCPT TO in one transaction (RSET every 100) over a
 * directory of 10,000 users, a third of the addresses unknown (451). Prints the median over runs, once with
 * the index trusting its copy for 250 ms (what `serve` does) and once asking the database on every check.
 * The client runs in the same process, so on a small machine it takes CPU from the listener.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { startSmtpListener } from "../src/adapters/smtp-listener.js";
import { RecipientIndex } from "../src/services/recipient-index.js";
import { setRecipientValidation } from "../src/services/recipient-settings-service.js";
import { saveUsers } from "../src/services/users/save-users.js";
import { withExampleSqlite } from "../test/support/service-context.js";
import { rcptRate } from "./smtp-load.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "3" },
    runs: { type: "string", default: "5" },
    connections: { type: "string", default: "8" },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const connections = Number(values.connections);
const USERS = 10_000;

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")} on ${cpus().length} CPUs`,
);
await withExampleSqlite(async (context, open) => {
  await setRecipientValidation(context, { domain: "example.com", recipientValidation: "directory-users" });
  const users = Array.from({ length: USERS }, (_, n) => ({
    email: `user${n}@example.com`,
    name: `User ${n}`,
    type: "directory" as const,
  }));
  await saveUsers(context, { users });
  // 250 ms is what `serve` uses; 0 asks the database on every check (what the tests use).
  for (const maxStalenessMs of [250, 0]) {
    const index = new RecipientIndex(open.db, { maxStalenessMs });
    const listener = await startSmtpListener({
      host: "127.0.0.1",
      port: 0,
      judge: (a) => index.verdictOf(a),
    });
    const rates: number[] = [];
    try {
      for (let run = 0; run < runs; run++) {
        const rate = await rcptRate(listener.port, { seconds, connections, users: USERS });
        rates.push(rate);
        console.log(`run ${run + 1}: ${rate.toFixed(0)} RCPT checks/s over ${connections} connections`);
      }
    } finally {
      await listener.close();
    }
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)] ?? 0;
    console.log(
      `median ${median.toFixed(0)} RCPT checks/s with the version checked at most every ${maxStalenessMs} ms ` +
        `(target >= 5,000/s: ${median >= 5000 ? "met" : "NOT met"})`,
    );
  }
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
});
