import { afterEach, describe, expect, it } from "vitest";
import type { RecipientVerdict } from "../../src/directory/recipient-verdict.js";
import {
  SmtpClientTable,
  startSmtpListener,
  type SmtpLimits,
  type SmtpListener,
} from "../../src/adapters/smtp-listener.js";
import { startServe } from "../support/serve-process.js";
import { main } from "../../src/cli/main.js";
import { RecipientIndex } from "../../src/services/recipient-index.js";
import { setRecipientValidation } from "../../src/services/recipient-settings-service.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { createCliDatabaseUrl, DIALECTS, useTestDatabase } from "../support/databases.js";
import { initExample, makeContext } from "../support/service-context.js";
import { connectSmtp, type RawSmtpClient } from "../support/smtp-client.js";

const ACCEPT: RecipientVerdict = { verdict: "accept", smtpCode: 250, enhancedCode: "2.1.5" };

/** Each listener a test starts is closed after it, with its clients. */
function useListener(): (options: {
  limits?: Partial<SmtpLimits>;
  now?: () => number;
  judge?: (address: string) => Promise<RecipientVerdict | undefined>;
}) => Promise<{ port: number; connect: (localAddress?: string) => Promise<RawSmtpClient> }> {
  let listener: SmtpListener | undefined;
  const clients: RawSmtpClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await listener?.close();
    listener = undefined;
  });
  return async (options) => {
    listener = await startSmtpListener({
      host: "127.0.0.1",
      port: 0,
      judge: options.judge ?? (() => Promise.resolve(ACCEPT)),
      limits: options.limits,
      now: options.now,
    });
    const { port } = listener;
    return {
      port,
      connect: async (localAddress) => {
        const client = await connectSmtp(port, localAddress);
        clients.push(client);
        return client;
      },
    };
  };
}

describe.each(DIALECTS)("SMTP recipients per transaction on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  const start = useListener();

  /** known@ is a Directory User (250), nobody@ unknown on a directory-users domain (451), x@ foreign (550). */
  async function startOnDirectory(limits?: Partial<SmtpLimits>): ReturnType<typeof start> {
    const context = makeContext(database());
    await initExample(context);
    await setRecipientValidation(context, { domain: "example.com", recipientValidation: "directory-users" });
    await saveUsers(context, { users: [{ email: "known@example.com", name: "Known", type: "directory" }] });
    const index = new RecipientIndex(context.db);
    return start({ limits, judge: (address) => index.verdictOf(address) });
  }

  const RECIPIENTS = [
    ["known@example.com", 250],
    ["nobody@example.com", 451],
    ["x@elsewhere.test", 550],
  ] as const;

  /** Sends `count` RCPT TO, cycling through the three kinds of recipient, and returns the reply codes. */
  async function sendRecipients(
    client: RawSmtpClient,
    count: number,
  ): Promise<{ got: number[]; want: number[] }> {
    const got: number[] = [];
    const want: number[] = [];
    for (let i = 0; i < count; i++) {
      const [address, code] = RECIPIENTS[i % RECIPIENTS.length] ?? RECIPIENTS[0];
      got.push((await client.send(`RCPT TO:<${address}>`)).code);
      want.push(code);
    }
    return { got, want };
  }

  it("answers the 101st RCPT TO of a transaction 452 4.5.3 by default, and the first 100 as before", async () => {
    const listener = await startOnDirectory();
    const client = await listener.connect();
    expect((await client.send("EHLO client.test")).code).toBe(250);
    expect((await client.send("MAIL FROM:<sender@sender.test>")).code).toBe(250);
    const first = await sendRecipients(client, 100);
    expect(first.got).toEqual(first.want);
    expect(await client.send("RCPT TO:<known@example.com>")).toEqual({ code: 452, enhanced: "4.5.3" });
    expect(await client.send("RCPT TO:<x@elsewhere.test>")).toEqual({ code: 452, enhanced: "4.5.3" });
    // The recipients accepted before the limit keep the transaction: DATA goes on (RFC 5321 4.5.3.1.10).
    expect((await client.send("DATA")).code).toBe(354);
    expect((await client.send("Subject: hi\r\n\r\nhello\r\n.")).code).toBe(250);
    // A finished DATA ends the transaction: the next one counts from zero.
    expect((await client.send("MAIL FROM:<sender@sender.test>")).code).toBe(250);
    expect((await client.send("RCPT TO:<known@example.com>")).code).toBe(250);
    expect((await client.send("QUIT")).code).toBe(221);
  });

  it("counts again after RSET and after a new MAIL FROM", async () => {
    const listener = await startOnDirectory({ maxRecipients: 4 });
    const client = await listener.connect();
    expect((await client.send("EHLO client.test")).code).toBe(250);
    for (let round = 0; round < 3; round++) {
      expect((await client.send("MAIL FROM:<sender@sender.test>")).code).toBe(250);
      const within = await sendRecipients(client, 4);
      expect(within.got).toEqual(within.want);
      expect(await client.send("RCPT TO:<known@example.com>")).toEqual({ code: 452, enhanced: "4.5.3" });
      expect((await client.send("RSET")).code).toBe(250);
    }
    expect((await client.send("QUIT")).code).toBe(221);
  });
});

describe("SMTP connection limits", () => {
  const start = useListener();

  it("refuses the (N+1)th connection at once from one client with 421 4.7.0, not another client's", async () => {
    const listener = await start({ limits: { maxConnectionsPerClient: 3 } });
    for (let i = 0; i < 3; i++) expect((await listener.connect()).greeting.code).toBe(220);
    const refused = await listener.connect();
    expect(refused.greeting).toEqual({ code: 421, enhanced: "4.7.0" });
    await refused.closed;
    // Another address on the loopback network is another client.
    const other = await listener.connect("127.0.0.2");
    expect(other.greeting.code).toBe(220);
    expect((await other.send("EHLO other.test")).code).toBe(250);
  });

  it("refuses connections over the per-minute rate with 421 4.7.0 until the minute is over", async () => {
    let now = 1_000_000;
    const listener = await start({ limits: { maxConnectionsPerMinute: 3 }, now: () => now });
    for (let i = 0; i < 3; i++) {
      const client = await listener.connect();
      expect(client.greeting.code).toBe(220);
      expect((await client.send("QUIT")).code).toBe(221);
    }
    const refused = await listener.connect();
    expect(refused.greeting).toEqual({ code: 421, enhanced: "4.7.0" });
    await refused.closed;
    expect((await listener.connect("127.0.0.2")).greeting.code).toBe(220);
    now += 60_000;
    expect((await listener.connect()).greeting.code).toBe(220);
  });

  it("caps the connections from everyone at maxClients with 421", async () => {
    const listener = await start({ limits: { maxClients: 2 } });
    expect((await listener.connect()).greeting.code).toBe(220);
    expect((await listener.connect("127.0.0.2")).greeting.code).toBe(220);
    const refused = await listener.connect("127.0.0.3");
    expect(refused.greeting.code).toBe(421);
    await refused.closed;
  });

  it("answers RCPT TO over a client's per-minute rate 450 4.7.1, across its connections", async () => {
    let now = 1_000_000;
    const listener = await start({ limits: { maxRecipientsPerMinute: 3 }, now: () => now });
    const one = await listener.connect();
    const two = await listener.connect();
    for (const client of [one, two]) {
      expect((await client.send("EHLO client.test")).code).toBe(250);
      expect((await client.send("MAIL FROM:<sender@sender.test>")).code).toBe(250);
    }
    expect((await one.send("RCPT TO:<a@example.com>")).code).toBe(250);
    expect((await one.send("RCPT TO:<b@example.com>")).code).toBe(250);
    expect((await two.send("RCPT TO:<c@example.com>")).code).toBe(250);
    expect(await two.send("RCPT TO:<d@example.com>")).toEqual({ code: 450, enhanced: "4.7.1" });
    now += 60_000;
    expect((await two.send("RCPT TO:<d@example.com>")).code).toBe(250);
  });
});

describe("the per-client table stays bounded", () => {
  const limits = {
    maxConnectionsPerClient: 2,
    maxConnectionsPerMinute: 100,
    maxRecipientsPerMinute: undefined,
    maxTrackedClients: 3,
  };

  it("lets a client in again once one of its connections closed", () => {
    const table = new SmtpClientTable(limits, () => 0);
    expect(table.admitConnection("192.0.2.1")).toBe("ok");
    expect(table.admitConnection("192.0.2.1")).toBe("ok");
    expect(table.admitConnection("192.0.2.1")).toBe("too-many-connections");
    table.release("192.0.2.1");
    expect(table.admitConnection("192.0.2.1")).toBe("ok");
  });

  it("forgets idle clients once their minute is over, and keeps those with a connection open", () => {
    let now = 0;
    const table = new SmtpClientTable(limits, () => now);
    table.admitConnection("192.0.2.1");
    table.admitConnection("192.0.2.2");
    table.release("192.0.2.2");
    table.sweep();
    expect(table.size).toBe(2);
    now = 60_000;
    table.sweep();
    expect(table.size).toBe(1);
    table.release("192.0.2.1");
    table.sweep();
    expect(table.size).toBe(0);
  });

  it("makes room by forgetting the least recently seen idle client, and refuses when none is idle", () => {
    const table = new SmtpClientTable(limits, () => 0);
    for (const ip of ["192.0.2.1", "192.0.2.2", "192.0.2.3"]) expect(table.admitConnection(ip)).toBe("ok");
    expect(table.admitConnection("192.0.2.4")).toBe("too-many-clients");
    expect(table.size).toBe(3);
    table.release("192.0.2.2");
    table.release("192.0.2.3");
    expect(table.admitConnection("192.0.2.4")).toBe("ok");
    expect(table.size).toBe(3);
    // .2 was forgotten (its count starts again); .3 is still known.
    expect(table.admitConnection("192.0.2.2")).toBe("ok");
    expect(table.size).toBe(3);
    expect(table.admitConnection("192.0.2.5")).toBe("too-many-clients");
  });
});

describe("serve's SMTP limit flags", () => {
  const quiet = { stdout: () => undefined, stderr: () => undefined };

  it.each([
    ["--smtp-max-recipients", "0"],
    ["--smtp-max-connections-per-client", "ten"],
    ["--smtp-max-connections-per-minute", "1.5"],
    ["--smtp-max-clients", ""],
    ["--smtp-max-recipients-per-minute", "0"],
  ])("refuses %s %j as a usage error (exit 2)", async (flag, value) => {
    expect(await main(["serve", "--smtp-listen", "127.0.0.1:0", flag, value], quiet)).toBe(2);
  });

  it("refuses a limit without --smtp-listen as a usage error (exit 2)", async () => {
    expect(await main(["serve", "--smtp-max-recipients", "50"], quiet)).toBe(2);
  });
});

describe.each(DIALECTS)("serve passes the SMTP limit flags to the listener on %s", (dialect) => {
  it("answers 452 beyond --smtp-max-recipients and 421 beyond --smtp-max-connections-per-client", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    const clients: RawSmtpClient[] = [];
    try {
      const served = await startServe(url, [
        "--smtp-listen",
        "127.0.0.1:0",
        "--smtp-max-recipients",
        "2",
        "--smtp-max-connections-per-client",
        "1",
      ]);
      const smtpPort = Number(/SMTP recipient check on [^\n]*:(\d+)\n/.exec(served.output)?.[1]);
      try {
        const client = await connectSmtp(smtpPort);
        clients.push(client);
        expect(client.greeting.code).toBe(220);
        expect((await client.send("EHLO client.test")).code).toBe(250);
        expect((await client.send("MAIL FROM:<sender@sender.test>")).code).toBe(250);
        for (const to of ["a@mailroster.local", "b@elsewhere.test"]) {
          expect([250, 451, 550]).toContain((await client.send(`RCPT TO:<${to}>`)).code);
        }
        expect(await client.send("RCPT TO:<c@mailroster.local>")).toEqual({ code: 452, enhanced: "4.5.3" });
        const second = await connectSmtp(smtpPort);
        clients.push(second);
        expect(second.greeting).toEqual({ code: 421, enhanced: "4.7.0" });
      } finally {
        for (const client of clients) client.destroy();
        expect(await served.stop()).toBe(0);
      }
    } finally {
      await cleanup();
    }
  });
});
