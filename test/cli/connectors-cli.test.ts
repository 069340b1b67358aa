import { describe, expect, it } from "vitest";
import { addCorpConnectorArgv, initExampleArgv, runCli, useLdapCli } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";
import { requireTools } from "../support/external-tools.js";
import { LDAP_TOOLS, ROOT_PASSWORD, SUFFIX } from "../support/slapd.js";

const ldapReady = requireTools(LDAP_TOOLS, "connector CLI tests against a real OpenLDAP (slapd)");

describe.skipIf(!ldapReady).each(DIALECTS)("connector and sync-run CLI on %s", (dialect) => {
  const { cli, startSlapd } = useLdapCli(dialect);

  it("updates, tests and removes a connector, lists and shows runs; the users stay", async () => {
    const slapd = await startSlapd();
    expect((await cli(...initExampleArgv())).code).toBe(0);
    const add = await cli(...addCorpConnectorArgv(slapd.url, `ou=nowhere,${SUFFIX}`));
    expect(add.code).toBe(0);

    // The base DN does not exist: the test says so with the LDAP error's code, and exits 1.
    const failing = await cli("connectors", "test", "corp", "--json");
    expect(failing.code).toBe(1);
    expect(JSON.parse(failing.stdout)).toMatchObject({
      name: "corp",
      ok: false,
      error: { code: "ldap_search_failed" },
    });

    const update = await cli("connectors", "update", "corp", "--base-dn", SUFFIX, "--rename", "Corp LDAP");
    expect(update).toMatchObject({ code: 0, stderr: "" });
    expect(update.stdout).not.toContain(ROOT_PASSWORD);
    const ok = await cli("connectors", "test", "corp ldap", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      name: "Corp LDAP",
      ok: true,
      entries: 3,
      more: false,
      skipped: 0,
      error: null,
    });
    const text = await cli("connectors", "test", "Corp LDAP");
    expect(text).toMatchObject({ code: 0 });
    expect(text.stdout).toContain("ok, 3 entries");

    const sync = await cli("sync", "--json");
    expect(JSON.parse(sync.stdout)).toMatchObject({ created: 3, errorCount: 0 });
    const runs = await cli("sync", "runs", "--json");
    expect(runs.code).toBe(0);
    const page = JSON.parse(runs.stdout) as { items: { runId: string }[]; total: number };
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 50 });
    expect(page.items[0]).toMatchObject({ state: "done", result: "ok", by: "cli", created: 3 });
    const runId = page.items[0]?.runId ?? "";
    const show = await cli("sync", "show", runId, "--json");
    expect(JSON.parse(show.stdout)).toMatchObject({
      runId,
      state: "done",
      connectors: [{ name: "Corp LDAP", entries: 3, error: null }],
      errors: [],
    });
    expect((await cli("sync", "runs")).stdout).toContain(`${runId}\t`);
    const missing = await cli("sync", "show", "no-such-run");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("sync_run_not_found");

    const listed = await cli("connectors", "list", "--json");
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        name: "Corp LDAP",
        baseDn: SUFFIX,
        lastRun: expect.objectContaining({ runId }) as unknown,
      }),
    ]);

    const remove = await cli("connectors", "remove", "Corp LDAP");
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain("3 user(s)");
    const ann = await cli("users", "show", "ann@example.com", "--json");
    expect(JSON.parse(ann.stdout)).toMatchObject({ type: "directory" });
    expect(JSON.parse((await cli("connectors", "list", "--json")).stdout)).toEqual([]);
    const gone = await cli("connectors", "remove", "Corp LDAP");
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("connector_not_found");
  });

  it("declares every new command's help from its spec", async () => {
    for (const words of [
      ["connectors", "update"],
      ["connectors", "remove"],
      ["connectors", "test"],
      ["sync", "runs"],
      ["sync", "show"],
    ]) {
      const help = await runCli([...words, "--help"]);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: mailroster ${words.join(" ")}`);
    }
    const bad = await cli("sync", "runs", "--page-size", "500");
    expect(bad.code).toBe(2);
  });
});

describe("serve --sync-every-minutes", () => {
  it("refuses an interval past a week with a usage error", async () => {
    const run = await runCli(["serve", "--sync-every-minutes", "10081", "--port", "0"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--sync-every-minutes needs 1 to 10080");
    const help = await runCli(["serve", "--help"]);
    expect(help.stdout).toContain("10080");
  });
});
