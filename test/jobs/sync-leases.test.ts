import { afterEach, describe, expect, it } from "vitest";
import type { DirectoryReader } from "../../src/adapters/ldap-directory.js";
import { createApp } from "../../src/http/app.js";
import { commandHeartbeat } from "../../src/cli/command-heartbeat.js";
import { SharedLeases } from "../../src/jobs/leases.js";
import { SYNC_LEASE } from "../../src/jobs/sync-leases.js";
import { SyncRunner } from "../../src/jobs/sync-runner.js";
import { isAppError } from "../../src/errors/app-error.js";
import type { ServiceContext } from "../../src/services/context.js";
import { addConnector } from "../../src/services/sync/connectors.js";
import { syncAccount, syncAll } from "../../src/services/sync/run-sync.js";
import { recordSyncRunStart } from "../../src/services/sync/sync-run-record.js";
import {
  failInterruptedSyncRuns,
  readSyncProgress,
  settleSyncLease,
  SYNC_HEARTBEATS,
} from "../../src/services/sync/sync-run-recovery.js";
import type { JobLibrary } from "../../src/store/job-library.js";
import { signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { testSecrets } from "../support/ldap-fixtures.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "../support/service-context.js";

// Sync All on several servers (issue 15): one run of an account at work at a time, whichever process
// started it, and leases that fail a run whose server stopped beating. The two-server end-to-end story is in
// multi-server.test.ts (PostgreSQL only); these hold the rules on both databases.

/** One person of example.com, as a directory reader returns it (attribute names in lower case). */
const ZED = {
  dn: "uid=zed,dc=example,dc=com",
  attributes: new Map([
    ["entryuuid", ["0f9c3b52-0000-4000-8000-00000000002a"]],
    ["mail", ["zed@example.com"]],
    ["cn", ["Zed Marsh"]],
  ]),
};

/** A job library that delivers nothing: the tests call the settlement themselves. */
const QUIET_JOBS: JobLibrary = {
  sendAt: () => Promise.resolve(),
  work: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

/** The key the connector's password is sealed with; every run opens it with the same. */
const secrets = testSecrets();

async function setUp(context: ServiceContext): Promise<{ accountId: string }> {
  await initExample(context);
  await addConnector(context, secrets, {
    name: "corp",
    type: "ldap",
    url: "ldap://127.0.0.1:1",
    bindDn: "cn=admin,dc=example,dc=com",
    bindPassword: "secret",
    baseDn: "dc=example,dc=com",
  });
  const account = await context.db.selectFrom("accounts").select("id").executeTakeFirstOrThrow();
  return { accountId: account.id };
}

function runState(context: ServiceContext, runId: string) {
  return context.db
    .selectFrom("sync_runs")
    .select(["state", "failure_code"])
    .where("id", "=", runId)
    .executeTakeFirstOrThrow();
}

function codeOf(error: unknown): string | undefined {
  return isAppError(error) ? error.code : undefined;
}

async function userExists(context: ServiceContext, address: string): Promise<boolean> {
  const row = await context.db
    .selectFrom("addresses")
    .select("address_key")
    .where("address_key", "=", address)
    .executeTakeFirst();
  return row !== undefined;
}

describe.each(DIALECTS)("Sync All leases on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  let runner: SyncRunner | undefined;
  afterEach(async () => {
    await runner?.close();
    runner = undefined;
  });

  it("keeps one run of an account at work: another start is refused with the running run's id", async () => {
    const system = makeContext(database());
    const { accountId } = await setUp(system);
    // A run another server (or `mailroster sync`) has at work.
    const elsewhere = await recordSyncRunStart(system, accountId, 1);
    const again = await recordSyncRunStart(system, accountId, 1).catch((error: unknown) => error);
    expect(codeOf(again)).toBe("sync_already_running");
    expect((again as { details: { runId: string } }).details.runId).toBe(elsewhere);
    // The command line's door: refused, nothing read.
    let read = false;
    const reader: DirectoryReader = () => {
      read = true;
      return Promise.resolve([ZED]);
    };
    const cli = await syncAll(system, {}, { secrets, readDirectory: reader }).catch(
      (error: unknown) => error,
    );
    expect(codeOf(cli)).toBe("sync_already_running");
    // The API's door answers the run at work (202, as for a run of its own).
    runner = new SyncRunner({ secrets, readDirectory: reader });
    const admin = await signInClient(
      createApp({ ...system, sync: runner }),
      "admin@example.com",
      ADMIN_PASSWORD,
    );
    const started = await admin.call("POST", "/sync");
    expect(started).toMatchObject({ status: 202, json: { runId: elsewhere, state: "running" } });
    expect(read).toBe(false);
    expect(await runState(system, elsewhere)).toEqual({ state: "running", failure_code: null });
  });

  it("fails a run whose heartbeat stopped, keeps one that beats, and shows the beaten progress", async () => {
    const system = makeContext(database());
    const { accountId } = await setUp(system);
    const runId = await recordSyncRunStart(system, accountId, 2);
    await SYNC_HEARTBEATS.beat(system, runId, { stage: "reading", connectorsRead: 1, connectors: 2 });
    expect(await readSyncProgress(system, runId)).toEqual({
      stage: "reading",
      connectorsRead: 1,
      connectors: 2,
    });
    const alive = await settleSyncLease(system, runId, 60_000);
    expect(alive.failed).toBe(false);
    expect(alive.checkAgainAt).toBeInstanceOf(Date);
    expect(await failInterruptedSyncRuns(system, { staleAfterMs: 60_000 })).toBe(0);
    // No beat within a lease of 0 ms: its server is gone.
    expect(await settleSyncLease(system, runId, 0)).toEqual({ failed: true });
    expect(await runState(system, runId)).toEqual({ state: "failed", failure_code: "sync_interrupted" });
    expect(await readSyncProgress(system, runId)).toBeUndefined();
    // Settled twice (two servers' watchdogs): failed once.
    expect(await settleSyncLease(system, runId, 0)).toEqual({ failed: false });
    // The account may run again.
    expect(await recordSyncRunStart(system, accountId, 2)).not.toBe(runId);
  });

  it("writes nothing when its run was failed while it read (sync_run_lease_lost)", async () => {
    const system = makeContext(database());
    const { accountId } = await setUp(system);
    let runId = "";
    const reader: DirectoryReader = async () => {
      // Another server's watchdog missed this server's heartbeat meanwhile.
      await settleSyncLease(system, runId, 0);
      return [ZED];
    };
    const outcome = await syncAccount(
      system,
      { accountId, accountCode: "CxAy" },
      { secrets, readDirectory: reader },
      {
        onStarted: (id) => {
          runId = id;
        },
      },
    ).catch((error: unknown) => error);
    expect(codeOf(outcome)).toBe("sync_run_lease_lost");
    expect(await runState(system, runId)).toEqual({ state: "failed", failure_code: "sync_interrupted" });
    expect(await userExists(system, "zed@example.com")).toBe(false);
  });

  it("with shared leases, a start fails the stale run it finds and runs its own", async () => {
    const system = makeContext(database());
    const { accountId } = await setUp(system);
    // A run whose process died without a heartbeat (a command-line run killed, say).
    const orphan = await recordSyncRunStart(system, accountId, 1);
    const leases = await SharedLeases.start(SYNC_LEASE, {
      jobs: QUIET_JOBS,
      leaseMs: 20,
      context: system,
      onError: (error) => {
        throw error;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 40));
    runner = new SyncRunner({ secrets, readDirectory: () => Promise.resolve([ZED]), leases });
    const admin = await signInClient(
      createApp({ ...system, sync: runner }),
      "admin@example.com",
      ADMIN_PASSWORD,
    );
    const started = await admin.call("POST", "/sync");
    expect(started.status).toBe(202);
    expect(started.json.runId).not.toBe(orphan);
    expect(await runState(system, orphan)).toEqual({ state: "failed", failure_code: "sync_interrupted" });
    await runner.close();
    expect(await runState(system, String(started.json.runId))).toEqual({ state: "done", failure_code: null });
    expect(await userExists(system, "zed@example.com")).toBe(true);
  });

  it("keeps a command-line run beating on PostgreSQL, so a server's start leaves it alone", async () => {
    const system = makeContext(database());
    const { accountId } = await setUp(system);
    // Started five minutes ago by `mailroster sync`, still at work.
    const past = new Date(Date.now() - 5 * 60_000);
    const runId = await recordSyncRunStart({ ...system, now: () => past }, accountId, 1);
    const heartbeat = commandHeartbeat(SYNC_LEASE, system);
    heartbeat.start(runId);
    heartbeat.progress({ stage: "reading", connectorsRead: 0, connectors: 1 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const failed = await failInterruptedSyncRuns(system, { staleAfterMs: 60_000 });
    if (dialect === "postgres") {
      expect(failed).toBe(0);
      expect(await runState(system, runId)).toEqual({ state: "running", failure_code: null });
    } else {
      // SQLite: a command writes no heartbeat (one server per file fails what it finds running at its start).
      expect(failed).toBe(1);
    }
    await heartbeat.end();
    expect(
      await system.db.selectFrom("job_heartbeats").select("job").where("job", "=", `sync:${runId}`).execute(),
    ).toEqual([]);
  });
});
