import { describe, expect, it } from "vitest";
import type { DirectoryReader } from "../../src/adapters/ldap-directory.js";
import type { DirectoryEntry } from "../../src/directory/ldap-mapping.js";
import { syncAll } from "../../src/services/sync/run-sync.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { addTestConnector, testSecrets } from "../support/ldap-fixtures.js";
import { initExample, makeContext } from "../support/service-context.js";

function person(
  uid: string,
  mail: string,
  name: string,
  aliases: string[] = [],
  ou = "people",
): DirectoryEntry {
  return {
    dn: `uid=${uid},ou=${ou},dc=example,dc=com`,
    attributes: new Map([
      ["entryuuid", [`uuid-${uid}`]],
      ["mail", [mail]],
      ["displayname", [name]],
      ["mailalternateaddress", aliases],
    ]),
  };
}

// Sync All's set-based writes on both databases, fed by an in-memory directory instead of slapd.
describe.each(DIALECTS)("Sync All's writes on %s", (dialect) => {
  const database = useTestDatabase(dialect);
  const secrets = testSecrets();

  it("writes renames, moves, new primaries, missing marks and returns", async () => {
    const context = makeContext(database());
    await initExample(context);
    await addTestConnector(context, secrets, { url: "ldap://127.0.0.1:1" });
    let entries: DirectoryEntry[] = [];
    const readDirectory: DirectoryReader = () => Promise.resolve(entries);
    const sync = () => syncAll(context, {}, { secrets, readDirectory });

    entries = [
      person("ann", "ann@example.com", "Ann", ["a@example.org"]),
      person("bob", "bob@example.com", "Bob"),
      person("cara", "cara@example.com", "Cara"),
    ];
    expect(await sync()).toMatchObject({ created: 3, errorCount: 0 });

    entries = [
      person("ann", "ann@example.com", "Ann Lee", ["a@example.org"], "staff"),
      person("cara", "cara.diaz@example.org", "Cara", ["cara@example.com"]),
    ];
    expect(await sync()).toMatchObject({ created: 0, updated: 2, flagged: 1, removed: 0 });
    const users = await context.db
      .selectFrom("users")
      .select(["email", "email_key", "name", "type"])
      .where("email", "!=", "admin@example.com")
      .orderBy("email_key")
      .execute();
    expect(users).toEqual([
      { email: "ann@example.com", email_key: "ann@example.com", name: "Ann Lee", type: "directory" },
      { email: "bob@example.com", email_key: "bob@example.com", name: "Bob", type: "directory" },
      { email: "cara.diaz@example.org", email_key: "cara.diaz@example.org", name: "Cara", type: "directory" },
    ]);
    const addresses = await context.db
      .selectFrom("addresses")
      .select(["address", "kind"])
      .where("address", "like", "cara%")
      .orderBy("address_key")
      .execute();
    expect(addresses).toEqual([
      { address: "cara.diaz@example.org", kind: "primary" },
      { address: "cara@example.com", kind: "alias" },
    ]);
    const mappings = async () =>
      context.db
        .selectFrom("connector_users")
        .select(["external_id", "dn", "missing_since"])
        .orderBy("external_id")
        .execute();
    const [ann, bob] = await mappings();
    expect(ann).toMatchObject({ dn: "uid=ann,ou=staff,dc=example,dc=com", missing_since: null });
    expect(bob?.missing_since).not.toBeNull();

    entries = [...entries, person("bob", "bob@example.com", "Bob")];
    expect(await sync()).toMatchObject({ created: 0, updated: 0, flagged: 0, removed: 0 });
    expect((await mappings()).map((m) => m.missing_since)).toEqual([null, null, null]);
  });
});
