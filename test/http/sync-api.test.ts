import { afterEach, describe, expect, it } from "vitest";
import { readLdapDirectory, type DirectoryReader } from "../../src/adapters/ldap-directory.js";
import { createApp } from "../../src/http/app.js";
import { SyncRunner } from "../../src/jobs/sync-runner.js";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import { findAccountById } from "../../src/store/accounts-repository.js";
import { recordSyncRunStart } from "../../src/services/sync/sync-run-record.js";
import { failInterruptedSyncRuns } from "../../src/services/sync/sync-run-recovery.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { type ApiClient, errorCode, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { requireTools } from "../support/external-tools.js";
import { THREE_PEOPLE, THREE_PEOPLE_FIRST_SYNC, testSecrets } from "../support/ldap-fixtures.js";
import { ADMIN_PASSWORD, HELEN, initExample, makeContext } from "../support/service-context.js";
import { LDAP_TOOLS, ROOT_DN, ROOT_PASSWORD, SUFFIX, startSlapd, type Slapd } from "../support/slapd.js";
import { freePort } from "../support/ports.js";

const ldapReady = requireTools(LDAP_TOOLS, "the sync API against a real OpenLDAP (slapd)");

type Json = Record<string, unknown>;

/** Polls a run until it leaves `running`; returns every state seen and the last view. */
async function waitForRun(client: ApiClient, runId: string): Promise<{ seen: string[]; run: Json }> {
  const seen: string[] = [];
  for (let i = 0; i < 400; i++) {
    const { status, json } = await client.call("GET", `/sync/${runId}`);
    expect(status).toBe(200);
    const state = String(json.state);
    if (seen.at(-1) !== state) seen.push(state);
    if (state !== "running") return { seen, run: json };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`run ${runId} did not end: ${seen.join(" -> ")}`);
}

describe.skipIf(!ldapReady).each(DIALECTS)("the sync API on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  let slapd: Slapd | undefined;
  let runner: SyncRunner | undefined;
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
    await slapd?.stop();
    slapd = undefined;
  });

  /** The example directory, a slapd with three people, an app whose runner may be held at a gate. */
  async function setUp(options: { readDirectory?: DirectoryReader } = {}) {
    slapd = await startSlapd({ bulkLdif: THREE_PEOPLE });
    const system = makeContext(database());
    await initExample(system);
    runner = new SyncRunner({ secrets: testSecrets(), readDirectory: options.readDirectory });
    const app = createApp({ ...system, sync: runner });
    const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
    const connector = {
      name: "corp",
      type: "ldap",
      url: slapd.url,
      bindDn: ROOT_DN,
      bindPassword: ROOT_PASSWORD,
      baseDn: SUFFIX,
    };
    return { system, app, admin, connector, slapd };
  }

  it("adds, lists, edits, tests and removes a connector, never answering its password", async () => {
    const { admin, connector } = await setUp();
    const added = await admin.call("POST", "/connectors", connector);
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      name: "corp",
      account: "CxAy",
      type: "openldap",
      url: connector.url,
      baseDn: SUFFIX,
      bindDn: ROOT_DN,
      hasBindPassword: true,
      removeMissing: false,
      lastRun: null,
    });
    expect(JSON.stringify(added.json)).not.toContain(ROOT_PASSWORD);
    expect(errorCode((await admin.call("POST", "/connectors", connector)).json)).toBe("connector_name_taken");

    const tested = await admin.call("POST", "/connectors/corp/test");
    expect(tested).toMatchObject({
      status: 200,
      json: { name: "corp", ok: true, entries: 3, more: false, skipped: 0, error: null },
    });

    // An edit without a password keeps the stored one: the test still binds.
    const edited = await admin.call("PATCH", "/connectors/corp", {
      name: "Head Office",
      filter: "(&(objectClass=inetOrgPerson)(uid=ann))",
      removeMissing: true,
    });
    expect(edited.json).toMatchObject({ name: "Head Office", removeMissing: true, hasBindPassword: true });
    expect((await admin.call("POST", "/connectors/head%20office/test")).json).toMatchObject({
      ok: true,
      entries: 1,
    });
    // A wrong password is the test's answer, with the LDAP error's code; the request itself succeeds.
    await admin.call("PATCH", "/connectors/Head%20Office", { bindPassword: "not-the-password" });
    const refused = await admin.call("POST", "/connectors/Head%20Office/test");
    expect(refused).toMatchObject({
      status: 200,
      json: { ok: false, entries: 0, error: { code: "ldap_bind_failed" } },
    });
    expect(errorCode((await admin.call("POST", "/connectors/nothing/test")).json)).toBe(
      "connector_not_found",
    );

    const listed = await admin.call("GET", "/connectors");
    expect(listed.json).toEqual([expect.objectContaining({ name: "Head Office" })]);
    expect(JSON.stringify(listed.json)).not.toMatch(/not-the-password|slapd-test-secret/);

    const removed = await admin.call("DELETE", "/connectors/Head%20Office");
    expect(removed).toMatchObject({
      status: 200,
      json: { name: "Head Office", account: "CxAy", usersUnmapped: 0 },
    });
    expect((await admin.call("GET", "/connectors")).json).toEqual([]);
    expect(errorCode((await admin.call("DELETE", "/connectors/Head%20Office")).json)).toBe(
      "connector_not_found",
    );
  });

  it("runs Sync All in the background: 202, polled to done with its counts, listed and shown per connector", async () => {
    const { admin, connector, system } = await setUp();
    await admin.call("POST", "/connectors", connector);
    const started = await admin.call("POST", "/sync");
    expect(started.status).toBe(202);
    expect(started.json).toEqual({ runId: expect.any(String) as unknown, state: "running" });
    const runId = String(started.json.runId);
    const { run } = await waitForRun(admin, runId);
    expect(run).toMatchObject({
      runId,
      account: "CxAy",
      state: "done",
      result: "ok",
      by: "admin@example.com",
      connectorCount: 1,
      connectors: [{ name: "corp", entries: 3, error: null }],
      ...THREE_PEOPLE_FIRST_SYNC,
      failure: null,
      progress: null,
    });
    expect(typeof run.finishedAt).toBe("string");
    expect((await admin.call("GET", "/users/ann@example.com")).json).toMatchObject({ type: "directory" });

    // An imported user is reclaimed by the next run, which the history lists first.
    await saveUsers(system, { users: [{ email: "bob@example.com", type: "imported" }] });
    const second = await admin.call("POST", "/sync");
    const { run: again } = await waitForRun(admin, String(second.json.runId));
    expect(again).toMatchObject({ state: "done", created: 0, reclaimed: 1 });
    const history = await admin.call("GET", "/sync?pageSize=1");
    expect(history.json).toMatchObject({ total: 2, page: 1, pageSize: 1 });
    expect(history.json.items).toEqual([
      expect.objectContaining({ runId: second.json.runId, reclaimed: 1, errorCount: 0 }),
    ]);
    expect((history.json.items as Json[])[0]).not.toHaveProperty("errors");
    const [listed] = (await admin.call("GET", "/connectors")).json as unknown as Json[];
    expect(listed?.lastRun).toMatchObject({
      runId: second.json.runId,
      state: "done",
      entries: 3,
      reclaimed: 1,
    });
    expect(errorCode((await admin.call("GET", "/sync/no-such-run")).json)).toBe("sync_run_not_found");
  });

  it("answers the running run to a second Sync All, and shows its progress while it runs", async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { admin, connector } = await setUp({
      readDirectory: async (request) => {
        await gate;
        return readLdapDirectory(request);
      },
    });
    await admin.call("POST", "/connectors", connector);
    const first = await admin.call("POST", "/sync");
    const second = await admin.call("POST", "/sync");
    expect(second).toMatchObject({ status: 202, json: { runId: first.json.runId, state: "running" } });
    const running = await admin.call("GET", `/sync/${String(first.json.runId)}`);
    expect(running.json).toMatchObject({
      state: "running",
      result: null,
      finishedAt: null,
      progress: { stage: "reading", connectorsRead: 0, connectors: 1 },
    });
    const listed = await admin.call("GET", "/sync");
    expect((listed.json.items as Json[])[0]).toMatchObject({ state: "running", progress: { connectors: 1 } });
    open();
    expect((await waitForRun(admin, String(first.json.runId))).run).toMatchObject({
      state: "done",
      created: 3,
    });
  });

  it("records a run whose every connector fails as failed, with the connector's code", async () => {
    const { admin, connector } = await setUp();
    await admin.call("POST", "/connectors", { ...connector, url: `ldap://127.0.0.1:${await freePort()}` });
    const started = await admin.call("POST", "/sync");
    const { run } = await waitForRun(admin, String(started.json.runId));
    expect(run).toMatchObject({
      state: "failed",
      result: "failed",
      failure: { code: "sync_connectors_failed" },
      connectors: [{ name: "corp", entries: null, error: "ldap_unreachable" }],
      errors: [expect.objectContaining({ connector: "corp", code: "ldap_unreachable" })],
      created: 0,
    });
  });

  it("refuses a role without run_directory_sync (403) and answers another tree's runs as missing (404)", async () => {
    const { system, app, admin, connector } = await setUp();
    await admin.call("POST", "/connectors", connector);
    const ours = await admin.call("POST", "/sync");
    await waitForRun(admin, String(ours.json.runId));

    await saveUsers(system, { users: [{ ...HELEN }] });
    await assignRole(system, { email: HELEN.email, role: "Basic Administrator" });
    const helen = await signInClient(app, HELEN.email, HELEN.password);
    for (const [method, path, body] of [
      ["POST", "/sync", undefined],
      ["GET", "/sync", undefined],
      ["GET", `/sync/${String(ours.json.runId)}`, undefined],
      ["GET", "/connectors", undefined],
      ["POST", "/connectors", { ...connector, name: "mine" }],
      ["PATCH", "/connectors/corp", { removeMissing: true }],
      ["DELETE", "/connectors/corp", undefined],
      ["POST", "/connectors/corp/test", undefined],
    ] as const) {
      const reply = await helen.call(method, path, body);
      expect([path, reply.status, errorCode(reply.json)]).toEqual([path, 403, "permission_denied"]);
    }

    await createAccount(system, { name: "Acme", code: "acme" });
    await addDomain(system, { domain: "acme.test", account: "acme" });
    await saveUsers(system, {
      users: [
        { email: "boss@acme.test", name: "Boss", password: HELEN.password, forceChangePassword: false },
      ],
    });
    await assignRole(system, { email: "boss@acme.test", role: "Super Administrator" });
    const boss = await signInClient(app, "boss@acme.test", HELEN.password);
    const theirs = await boss.call("GET", `/sync/${String(ours.json.runId)}`);
    expect([theirs.status, errorCode(theirs.json)]).toEqual([404, "sync_run_not_found"]);
    for (const path of ["/sync?account=CxAy", "/connectors?account=CxAy"]) {
      const reply = await boss.call("GET", path);
      expect([reply.status, errorCode(reply.json)]).toEqual([404, "account_not_found"]);
    }
    expect((await boss.call("POST", "/sync?account=CxAy")).status).toBe(404);
    // Their own account has no connector: a run that reads nothing, done.
    const own = await boss.call("POST", "/sync");
    expect((await waitForRun(boss, String(own.json.runId))).run).toMatchObject({
      account: "acme",
      state: "done",
      connectorCount: 0,
    });
  });

  it("refuses connectors and Sync All when the server has no secret key", async () => {
    const system = makeContext(database());
    await initExample(system);
    const app = createApp({ ...system });
    const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
    const reply = await admin.call("POST", "/sync");
    expect([reply.status, errorCode(reply.json)]).toEqual([500, "secret_key_missing"]);
  });

  it("marks a run left running by a stopped server failed at the next start (sync_interrupted)", async () => {
    const system = makeContext(database());
    await initExample(system);
    const account = await system.db.selectFrom("accounts").select("id").executeTakeFirstOrThrow();
    const runId = await recordSyncRunStart(system, account.id, 2);
    expect(await failInterruptedSyncRuns(system)).toBe(1);
    expect(await failInterruptedSyncRuns(system)).toBe(0);
    const app = createApp({ ...system, sync: new SyncRunner({ secrets: testSecrets() }) });
    const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
    const { json } = await admin.call("GET", `/sync/${runId}`);
    expect(json).toMatchObject({
      state: "failed",
      result: "failed",
      by: "test",
      connectorCount: 2,
      failure: { code: "sync_interrupted" },
      account: (await findAccountById(system.db, account.id))?.code,
    });
    expect(typeof json.finishedAt).toBe("string");
  });
});
