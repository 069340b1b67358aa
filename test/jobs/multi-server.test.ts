import { randomBytes } from "node:crypto";
import { createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { createPostgresDatabase, type OpenDatabase } from "../../src/store/open-database.js";
import { createCliDatabaseUrl } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";
import { startServe, type Served } from "../support/serve-process.js";
import { connectSmtp } from "../support/smtp-client.js";

// Two `serve` processes on one PostgreSQL schema (issue 15): progress, leases, NOTIFY, the shared sign-in
// limit and the shared Sync All schedule. PostgreSQL only: SQLite and PGlite are one-server databases.

const LEASE_FLAGS = ["--job-lease-seconds", "2", "--sync-every-seconds", "2", "--smtp-listen", "127.0.0.1:0"];

interface Session {
  headers: Record<string, string>;
}

function smtpPortOf(served: Served): number {
  return Number(/SMTP recipient check on [^:]+:(\d+)/.exec(served.output)?.[1]);
}

async function call(base: string, session: Session, method: string, path: string, body?: unknown) {
  const reply = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...session.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: reply.status, json: (await reply.json()) as Record<string, unknown> };
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Signs in through `served` with the first sign-in it printed and changes the forced password. */
async function signInFirst(served: Served): Promise<Session> {
  const admin = served.firstSignIn;
  if (!admin) throw new Error("serve printed no first sign-in");
  const signedIn = await fetch(`${served.url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(admin),
  });
  const me = (await signedIn.json()) as { csrfToken: string };
  const cookie = (signedIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const session = { headers: { cookie, "x-csrf-token": me.csrfToken } };
  const changed = await call(served.url, session, "POST", "/auth/password", {
    currentPassword: admin.password,
    newPassword: "Copper-Kettle-93",
  });
  expect(changed.status).toBe(200);
  return session;
}

const url = await createCliDatabaseUrl("postgres");
const onServer = !url.url.startsWith("pglite:");

describe.runIf(onServer)("several serve processes on one PostgreSQL", () => {
  let a: Served;
  let b: Served;
  let session: Session;
  let db: OpenDatabase;
  const previousKey = process.env.MAILROSTER_SECRET_KEY;

  beforeAll(async () => {
    process.env.MAILROSTER_SECRET_KEY = randomBytes(32).toString("hex");
    a = await startServe(url.url, LEASE_FLAGS);
    b = await startServe(url.url, LEASE_FLAGS);
    session = await signInFirst(a);
    const options = decodeURIComponent(/options=([^&]+)/.exec(url.url)?.[1] ?? "");
    db = createPostgresDatabase({ connectionString: url.url.replace(/\?.*$/, ""), options });
  }, 60_000);

  afterAll(async () => {
    process.env.MAILROSTER_SECRET_KEY = previousKey;
    if (previousKey === undefined) delete process.env.MAILROSTER_SECRET_KEY;
    await Promise.allSettled([a.stop(), b.stop()]);
    await db.close();
    await url.cleanup();
  });

  it("a session from one server is good on the other", async () => {
    expect((await call(b.url, session, "GET", "/auth/me")).status).toBe(200);
  });

  it("a user added through A is accepted by B's RCPT check within a second", async () => {
    const smtp = await connectSmtp(smtpPortOf(b));
    await smtp.send("EHLO test.example");
    await smtp.send("MAIL FROM:<sender@example.net>");
    const address = "rcpt-check@mailroster.local";
    expect((await smtp.send(`RCPT TO:<${address}>`)).code).not.toBe(250);
    const created = await call(a.url, session, "POST", "/users", { email: address, name: "Rcpt Check" });
    expect(created.status).toBe(201);
    const start = Date.now();
    const reply = await until(
      () => smtp.send(`RCPT TO:<${address}>`),
      (r) => r.code === 250,
      1000,
    );
    expect(reply.code).toBe(250);
    expect(Date.now() - start).toBeLessThan(1000);
    await smtp.send("QUIT");
  });

  it("runs the scheduled Sync All once per interval for both servers", async () => {
    const added = await call(a.url, session, "POST", "/connectors", {
      name: "nowhere",
      type: "ldap",
      url: "ldap://127.0.0.1:1",
      bindDn: "cn=admin,dc=example,dc=org",
      bindPassword: "secret",
      baseDn: "dc=example,dc=org",
    });
    expect(added.status).toBe(201);
    // Two-second interval, two servers, about seven seconds: each interval's run happens once.
    await new Promise((resolve) => setTimeout(resolve, 7500));
    const runs = await db.db.selectFrom("sync_runs").select(["started_at"]).orderBy("started_at").execute();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(runs.length).toBeLessThanOrEqual(4);
    const starts = runs.map((run) => Date.parse(run.started_at));
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(1900);
    }
  }, 20_000);

  it("counts sign-in attempts across both servers", async () => {
    const attempt = async (base: string): Promise<number> =>
      (
        await fetch(`${base}/api/v1/auth/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: "nobody@mailroster.local", password: "Wrong-Guess-00" }),
        })
      ).status;
    const onA: number[] = [];
    for (let i = 0; i < 6; i++) onA.push(await attempt(a.url));
    const onB: number[] = [];
    for (let i = 0; i < 6; i++) onB.push(await attempt(b.url));
    expect(onA.every((status) => status === 401)).toBe(true);
    // Ten a minute per address: B refuses what A counted; alone, B would have answered six 401s.
    expect(onB).toContain(429);
  });

  it("shows a save running on A from B, and B fails it within seconds when A is killed; nothing written", async () => {
    const rows: XlsValue[][] = [["email", "name", "password"]];
    for (let i = 0; i < 400; i++) rows.push([`u${i}@mailroster.local`, `U ${i}`, `Tidal-Lantern-${i}x`]);
    const form = new FormData();
    form.set("uploadOnly", "true");
    form.set("file", new Blob([new Uint8Array(usersXls(rows))]), "staff.xls");
    const started = await fetch(`${a.url}/api/v1/imports/save`, {
      method: "POST",
      headers: session.headers,
      body: form,
    });
    expect(started.status).toBe(202);
    const { importId } = (await started.json()) as { importId: string };
    const view = (base: string) => call(base, session, "GET", `/imports/${importId}`).then((r) => r.json);
    const seen = await until(
      () => view(b.url),
      (v) => v.state === "saving" && v.progress !== null,
      20_000,
    );
    expect(seen.state).toBe("saving");
    expect(seen.progress).toMatchObject({ stage: expect.any(String) as string });
    const outboxBefore = await db.db.selectFrom("outbox").select("id").execute();

    const exited = new Promise((resolve) => a.process.once("exit", resolve));
    a.process.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();
    const failed = await until(
      () => view(b.url),
      (v) => v.state === "failed",
      60_000,
    );
    expect(failed.state).toBe("failed");
    // A two-second lease, a one-second poll: well within the minute the issue asks for.
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect((failed.errors as { code: string }[]).map((e) => e.code)).toEqual(["import_interrupted"]);
    const written = await db.db
      .selectFrom("addresses")
      .select("address_key")
      .where("address_key", "like", "u%@mailroster.local")
      .execute();
    expect(written).toEqual([]);
    // Exactly one failure mail, however many watchdogs looked.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const outboxAfter = await db.db.selectFrom("outbox").select("id").execute();
    expect(outboxAfter.length - outboxBefore.length).toBe(1);
  }, 90_000);
});

describe.runIf(onServer)("Sync All on two serve processes on one PostgreSQL", () => {
  const previousKey = process.env.MAILROSTER_SECRET_KEY;
  let syncUrl: Awaited<ReturnType<typeof createCliDatabaseUrl>> | undefined;
  let c: Served | undefined;
  let d: Served | undefined;
  // An LDAP server that takes connections and never answers: a run reads it until its sockets are closed.
  const silent = new Set<Socket>();
  let hangUp = false;
  const hang = createServer((socket) => {
    if (hangUp) {
      socket.destroy();
      return;
    }
    silent.add(socket);
    socket.on("error", () => undefined);
  });

  afterAll(async () => {
    for (const socket of silent) socket.destroy();
    hang.close();
    await Promise.allSettled([c?.stop(), d?.stop()]);
    await syncUrl?.cleanup();
    process.env.MAILROSTER_SECRET_KEY = previousKey;
    if (previousKey === undefined) delete process.env.MAILROSTER_SECRET_KEY;
  });

  it("runs one Sync All of an account on both servers, shows it from either, and fails it when its server dies", async () => {
    process.env.MAILROSTER_SECRET_KEY = randomBytes(32).toString("hex");
    syncUrl = await createCliDatabaseUrl("postgres");
    const one = await startServe(syncUrl.url, ["--job-lease-seconds", "2"]);
    const other = await startServe(syncUrl.url, ["--job-lease-seconds", "2"]);
    c = one;
    d = other;
    const session = await signInFirst(one);
    await new Promise<void>((resolve) => hang.listen(0, "127.0.0.1", resolve));
    const port = (hang.address() as { port: number }).port;
    const added = await call(one.url, session, "POST", "/connectors", {
      name: "silent",
      type: "ldap",
      url: `ldap://127.0.0.1:${port}`,
      bindDn: "cn=admin,dc=example,dc=org",
      bindPassword: "secret",
      baseDn: "dc=example,dc=org",
    });
    expect(added.status).toBe(201);

    const first = await call(one.url, session, "POST", "/sync");
    expect(first).toMatchObject({ status: 202, json: { state: "running" } });
    const runId = String(first.json.runId);
    // The other server answers the run at work rather than starting a second one.
    const second = await call(other.url, session, "POST", "/sync");
    expect(second).toMatchObject({ status: 202, json: { runId, state: "running" } });
    const seen = await until(
      () => call(other.url, session, "GET", `/sync/${runId}`),
      (r) => r.json.progress !== null,
      10_000,
    );
    expect(seen.json).toMatchObject({
      state: "running",
      progress: { stage: "reading", connectorsRead: 0, connectors: 1 },
    });

    const exited = new Promise((resolve) => one.process.once("exit", resolve));
    one.process.kill("SIGKILL");
    await exited;
    const killedAt = Date.now();
    const failed = await until(
      () => call(other.url, session, "GET", `/sync/${runId}`),
      (r) => r.json.state === "failed",
      60_000,
    );
    expect(failed.json).toMatchObject({
      state: "failed",
      progress: null,
      failure: { code: "sync_interrupted" },
    });
    expect(Date.now() - killedAt).toBeLessThan(15_000);

    // The account runs again, on the server that is left (the LDAP server now hangs up at once).
    hangUp = true;
    for (const socket of silent) socket.destroy();
    const again = await call(other.url, session, "POST", "/sync");
    expect(again.status).toBe(202);
    expect(again.json.runId).not.toBe(runId);
    const ended = await until(
      () => call(other.url, session, "GET", `/sync/${String(again.json.runId)}`),
      (r) => r.json.state !== "running",
      30_000,
    );
    expect(ended.json.state).toBe("failed");
    expect((ended.json.failure as { code: string }).code).toBe("sync_connectors_failed");
  }, 120_000);
});
