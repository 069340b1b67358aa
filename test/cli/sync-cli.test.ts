import { spawn } from "node:child_process";
import { describe, expect, it, vi } from "vitest";
import { addCorpConnectorArgv, initExampleArgv, useLdapCli } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";
import { THREE_PEOPLE_FIRST_SYNC } from "../support/ldap-fixtures.js";
import { makeContext } from "../support/service-context.js";
import { recordSyncRunStart } from "../../src/services/sync/sync-run-record.js";
import { openDatabase } from "../../src/store/open-database.js";
import { requireTools } from "../support/external-tools.js";
import { LDAP_TOOLS, ROOT_PASSWORD, SUFFIX, type Slapd } from "../support/slapd.js";

const ldapReady = requireTools(LDAP_TOOLS, "sync CLI tests against a real OpenLDAP (slapd)");

describe.skipIf(!ldapReady).each(DIALECTS)("sync CLI on %s", (dialect) => {
  const { cli, url, startSlapd } = useLdapCli(dialect);

  async function initAndConnect(ldap: Slapd): Promise<void> {
    const init = await cli(...initExampleArgv());
    expect(init.code).toBe(0);
    const add = await cli(...addCorpConnectorArgv(ldap.url));
    expect(add).toMatchObject({ code: 0, stderr: "" });
    expect(add.stdout).not.toContain(ROOT_PASSWORD);
  }

  it("adds and lists connectors, syncs, sets a domain's mode and checks recipients", async () => {
    const slapd = await startSlapd();
    await initAndConnect(slapd);

    const list = await cli("connectors", "list", "--json");
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain(ROOT_PASSWORD);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        name: "corp",
        account: "CxAy",
        type: "openldap",
        url: slapd.url,
        baseDn: SUFFIX,
      }),
    ]);

    const sync = await cli("sync", "--json");
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toEqual(THREE_PEOPLE_FIRST_SYNC);

    expect(
      (await cli("domains", "set", "example.com", "--recipient-validation", "directory-users")).code,
    ).toBe(0);
    const ok = await cli("recipients", "check", "Bob@example.com", "--json");
    expect(JSON.parse(ok.stdout)).toEqual({ address: "Bob@example.com", verdict: "accept", smtpCode: 250 });
    const unknown = await cli("recipients", "check", "nobody@example.com", "--json");
    expect(JSON.parse(unknown.stdout)).toEqual({
      address: "nobody@example.com",
      verdict: "defer",
      smtpCode: 451,
    });
    expect((await cli("recipients", "set", "--unknown", "reject")).code).toBe(0);
    const rejected = await cli("recipients", "check", "nobody@example.com", "--json");
    expect(JSON.parse(rejected.stdout)).toMatchObject({ verdict: "reject", smtpCode: 550 });

    const badMode = await cli("domains", "set", "example.com", "--recipient-validation", "everyone");
    expect(badMode.code).toBe(1);
    expect(badMode.stderr).toContain("recipient_validation_invalid");
  });

  it("refuses Sync All while a run of the account is at work elsewhere (sync_already_running)", async () => {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    expect((await cli(...addCorpConnectorArgv("ldap://127.0.0.1:1"))).code).toBe(0);
    // A run a server has at work.
    const open = await openDatabase(url());
    const account = await open.db.selectFrom("accounts").select("id").executeTakeFirstOrThrow();
    const runId = await recordSyncRunStart(makeContext(open), account.id, 1);
    await open.close();
    const sync = await cli("sync", "--json");
    expect(sync.code).toBe(1);
    expect(sync.stderr).toContain("sync_already_running");
    expect(sync.stderr).toContain(runId);
  });

  it("refuses a connector without MAILROSTER_SECRET_KEY", async () => {
    vi.stubEnv("MAILROSTER_SECRET_KEY", "");
    const add = await cli(...addCorpConnectorArgv("ldap://127.0.0.1:1"));
    expect(add.code).toBe(1);
    expect(add.stderr).toContain("secret_key_missing");
    expect(add.stderr).not.toContain(ROOT_PASSWORD);
  });

  it("serves the API and the SMTP listener, and stops on SIGTERM", async () => {
    const slapd = await startSlapd();
    await initAndConnect(slapd);
    expect((await cli("sync")).code).toBe(0);
    // A real process and a real signal (the compiled CLI that `npm test` builds first): emitting SIGTERM
    // inside the test worker would reach the worker's own handlers too.
    const child = spawn(
      process.execPath,
      ["bin/mailroster.js", "serve", "--port", "0", "--smtp-listen", "127.0.0.1:0", "--db", url()],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } },
    );
    let stdout = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        const match = /API on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (match?.[1] !== undefined && stdout.includes("SMTP recipient check on 127.0.0.1:")) {
          resolve(Number(match[1]));
        }
      });
      child.once("exit", () => {
        reject(new Error(`serve exited early: ${stdout}`));
      });
    });
    const base = `http://127.0.0.1:${port}/api/v1`;
    // The lookup answers administrators only: sign in as one, as the gateway's token would act as one.
    const signIn = await fetch(`${base}/auth/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ email: "admin@example.com", password: "Sunny-Harbour-42" }),
    });
    expect(signIn.status).toBe(200);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect((await fetch(`${base}/recipients/cara@example.com`)).status).toBe(401);
    const response = await fetch(`${base}/recipients/cara@example.com`, { headers: { cookie } });
    expect(await response.json()).toEqual({ address: "cara@example.com", verdict: "accept", smtpCode: 250 });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stdout).toContain("SIGTERM: stopping");
  });
});
