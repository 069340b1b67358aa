import { afterEach, describe, expect, it } from "vitest";
import { syncAll } from "../../src/services/sync/run-sync.js";
import { getUser } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { listSyncRuns } from "../../src/store/sync-runs-repository.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { requireTools } from "../support/external-tools.js";
import { THREE_PEOPLE, addTestConnector, testSecrets } from "../support/ldap-fixtures.js";
import { makeContext, initExample } from "../support/service-context.js";
import { freePort } from "../support/ports.js";
import { LDAP_TOOLS, SUFFIX, personLdif, startSlapd, type Slapd } from "../support/slapd.js";

const ldapReady = requireTools(LDAP_TOOLS, "LDAP sync tests against a real OpenLDAP (slapd)");

describe.skipIf(!ldapReady).each(DIALECTS)("Sync All against OpenLDAP on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  let slapd: Slapd | undefined;
  afterEach(async () => {
    await slapd?.stop();
    slapd = undefined;
  });
  const secrets = testSecrets();

  async function setUp(ldif: string, options: { removeMissing?: boolean } = {}) {
    slapd = await startSlapd({ bulkLdif: ldif });
    const context = makeContext(database());
    await initExample(context);
    await addTestConnector(context, secrets, slapd, options);
    return { context, slapd };
  }

  it("makes three LDAP users Directory Users, records a bad entry and goes on, and is idempotent", async () => {
    const outsider = personLdif("eve", "eve@elsewhere.net", "Eve Out");
    const { context } = await setUp(`${THREE_PEOPLE}\n${outsider}`);
    const first = await syncAll(context, {}, { secrets });
    expect(first).toMatchObject({ created: 3, updated: 0, reclaimed: 0, flagged: 0, removed: 0 });
    expect(first.errors.map((e) => e.code)).toEqual(["domain_not_internal"]);
    const ann = await getUser(context, "a.lee@example.com");
    expect(ann).toMatchObject({ email: "ann@example.com", name: "Ann Lee", type: "directory" });
    expect(ann.aliases).toEqual(["a.lee@example.com"]);
    expect((await getUser(context, "bob@example.com")).type).toBe("directory");

    const second = await syncAll(context, {}, { secrets });
    expect(second).toMatchObject({ created: 0, updated: 0, reclaimed: 0, flagged: 0, removed: 0 });
    const runs = await listSyncRuns(
      context.db,
      (await context.db.selectFrom("accounts").select("id").executeTakeFirstOrThrow()).id,
      5,
    );
    expect(runs).toHaveLength(2);
    const audit = await context.db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "=", "directory.sync")
      .execute();
    expect(audit).toHaveLength(2);
  });

  it("brings an alias and a primary change with the next sync, joined on entryUUID", async () => {
    const { context, slapd: ldap } = await setUp(THREE_PEOPLE);
    await syncAll(context, {}, { secrets });
    ldap.modify(
      [
        `dn: uid=bob,ou=people,${SUFFIX}`,
        "changetype: modify",
        "add: mailLocalAddress",
        "mailLocalAddress: robert@example.com",
        "",
        `dn: uid=cara,ou=people,${SUFFIX}`,
        "changetype: modify",
        "replace: mail",
        "mail: cara.diaz@example.org",
        "-",
        "replace: displayName",
        "displayName: Cara Diaz-Moreno",
        "",
      ].join("\n"),
    );
    const result = await syncAll(context, {}, { secrets });
    expect(result).toMatchObject({
      created: 0,
      updated: 2,
      reclaimed: 0,
      flagged: 0,
      removed: 0,
      errors: [],
    });
    expect((await getUser(context, "robert@example.com")).email).toBe("bob@example.com");
    const cara = await getUser(context, "cara.diaz@example.org");
    expect(cara).toMatchObject({ name: "Cara Diaz-Moreno", type: "directory" });
    await expect(getUser(context, "cara@example.com")).rejects.toMatchObject({ code: "user_not_found" });
  });

  it("flags a vanished user and keeps it", async () => {
    const { context, slapd: ldap } = await setUp(THREE_PEOPLE);
    await syncAll(context, {}, { secrets });
    ldap.modify(`dn: uid=bob,ou=people,${SUFFIX}\nchangetype: delete\n`);
    const result = await syncAll(context, {}, { secrets });
    expect(result).toMatchObject({ created: 0, updated: 0, flagged: 1, removed: 0, errors: [] });
    expect((await getUser(context, "bob@example.com")).type).toBe("directory");
    // Flagged once: the next run does not count it again.
    expect((await syncAll(context, {}, { secrets })).flagged).toBe(0);
  });

  it("removes a vanished user when the connector is set to remove missing users", async () => {
    const { context, slapd: ldap } = await setUp(THREE_PEOPLE, { removeMissing: true });
    await syncAll(context, {}, { secrets });
    ldap.modify(`dn: uid=bob,ou=people,${SUFFIX}\nchangetype: delete\n`);
    const result = await syncAll(context, {}, { secrets });
    expect(result).toMatchObject({ flagged: 1, removed: 1, errors: [] });
    await expect(getUser(context, "bob@example.com")).rejects.toMatchObject({ code: "user_not_found" });
  });

  it("pauses removals and type changes for every connector while one connector fails", async () => {
    const { context, slapd: ldap } = await setUp(THREE_PEOPLE, { removeMissing: true });
    await syncAll(context, {}, { secrets });
    await saveUsers(context, { users: [{ email: "ann@example.com", type: "imported" }] });
    ldap.modify(`dn: uid=bob,ou=people,${SUFFIX}\nchangetype: delete\n`);
    // Nothing listens on this loopback port: the second connector fails.
    await addTestConnector(
      context,
      secrets,
      { url: `ldap://127.0.0.1:${await freePort()}` },
      { name: "branch" },
    );
    const result = await syncAll(context, {}, { secrets });
    expect(result).toMatchObject({ reclaimed: 0, removed: 0 });
    expect(result.errors.map((e) => [e.connector, e.code])).toEqual([["branch", "ldap_unreachable"]]);
    expect((await getUser(context, "bob@example.com")).type).toBe("directory");
    expect((await getUser(context, "ann@example.com")).type).toBe("imported");
  });

  it("reports a wrong bind password as ldap_bind_failed and changes nothing", async () => {
    slapd = await startSlapd({ bulkLdif: THREE_PEOPLE });
    const context = makeContext(database());
    await initExample(context);
    await addTestConnector(context, secrets, slapd, { bindPassword: "not-the-password" });
    const result = await syncAll(context, {}, { secrets });
    expect(result).toMatchObject({ created: 0, updated: 0, reclaimed: 0, flagged: 0, removed: 0 });
    expect(result.errors.map((e) => e.code)).toEqual(["ldap_bind_failed"]);
    await expect(getUser(context, "ann@example.com")).rejects.toMatchObject({ code: "user_not_found" });
  });
});
