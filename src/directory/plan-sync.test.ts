import { describe, expect, it } from "vitest";
import type { MappedEntry } from "./ldap-mapping.js";
import {
  addressKeysToCheck,
  planSync,
  selectSyncEntries,
  type SyncConnector,
  type SyncConnectorRead,
  type SyncDirectory,
  type SyncPlan,
} from "./plan-sync.js";

const CORP: SyncConnector = { id: "c1", name: "corp", removeMissing: false };
const HR: SyncConnector = { id: "c2", name: "hr", removeMissing: false };

function entry(externalId: string, email: string, more: Partial<MappedEntry> = {}): MappedEntry {
  return {
    externalId,
    dn: `uid=${externalId},dc=example,dc=com`,
    email,
    name: externalId,
    aliases: [],
    ...more,
  };
}

type Person = ReturnType<typeof user>;

/** The account's directory: `people` with their primary addresses, plus any other parts. */
function directory(
  parts: Partial<Omit<SyncDirectory, "domains">> & { people?: readonly Person[] } = {},
): SyncDirectory {
  const { people = [], ...rest } = parts;
  return {
    domains: new Set(["example.com", "example.org"]),
    users: people.map((p) => p.user),
    addresses: people.map((p) => p.address),
    mappings: [],
    ...rest,
  };
}

/** A user with its primary address row. */
function user(id: string, email: string, type: string, name = id) {
  return {
    user: { id, email, emailKey: email.toLowerCase(), name, type },
    address: { addressKey: email.toLowerCase(), address: email, userId: id, kind: "primary" },
  };
}

function mapping(
  connectorId: string,
  externalId: string,
  userId: string,
  missingSince: string | null = null,
) {
  return { connectorId, externalId, userId, dn: `uid=${externalId},dc=example,dc=com`, missingSince };
}

function plan(
  reads: readonly SyncConnectorRead[],
  dir: SyncDirectory = directory(),
  takenElsewhere: ReadonlySet<string> = new Set(),
): SyncPlan {
  return planSync(selectSyncEntries(reads, dir.domains), dir, takenElsewhere);
}

const codes = (p: SyncPlan) => p.errors.map((e) => e.code);

describe("planSync", () => {
  it("creates a Directory User per new entry, with only the aliases in the account's domains", () => {
    const p = plan([
      {
        connector: CORP,
        entries: [
          entry("u1", "Ann@example.com", {
            name: "Ann Lee",
            aliases: ["a.lee@example.org", "ann@corp.onmicrosoft.com", "not an address", "ann@example.com"],
          }),
        ],
      },
    ]);
    expect(p.counts).toEqual({ created: 1, updated: 0, reclaimed: 0, flagged: 0, removed: 0 });
    expect(p.errors).toEqual([]);
    const [create] = p.changes;
    expect(create).toMatchObject({ action: "create", connectorId: "c1", externalId: "u1", name: "Ann Lee" });
    expect(create?.action === "create" && create.primary.address).toBe("Ann@example.com");
    expect(create?.action === "create" && create.aliases.map((a) => a.address)).toEqual([
      "a.lee@example.org",
    ]);
  });

  it("joins on (connector, immutable id): a new primary and name update the user and rewrite its addresses", () => {
    const ann = user("id-ann", "ann@example.com", "directory", "Ann");
    const dir = directory({
      people: [ann],
      mappings: [mapping("c1", "u1", "id-ann")],
    });
    const p = plan(
      [
        {
          connector: CORP,
          entries: [entry("u1", "ann.lee@example.com", { name: "Ann Lee", dn: "uid=new" })],
        },
      ],
      dir,
    );
    expect(p.counts.updated).toBe(1);
    expect(p.changes[0]).toMatchObject({
      action: "update",
      userId: "id-ann",
      email: "ann.lee@example.com",
      before: { email: "ann@example.com", name: "Ann", type: "directory", aliases: [] },
      after: { email: "ann.lee@example.com", name: "Ann Lee", type: "directory", aliases: [] },
    });
    expect(p.addressRewrites.map((r) => r.primary.address)).toEqual(["ann.lee@example.com"]);
    expect(p.dnChanges).toEqual([{ connectorId: "c1", externalId: "u1", dn: "uid=new" }]);
    // The same id from another connector is another entry: a new user.
    const other = plan([{ connector: HR, entries: [entry("u1", "ann2@example.com")] }], dir);
    expect(other.counts.created).toBe(1);
  });

  it("changes nothing for an entry that restates the user, and counts a case change of an alias", () => {
    const ann = user("id-ann", "ann@example.com", "directory", "Ann");
    const alias = { addressKey: "a@example.com", address: "a@example.com", userId: "id-ann", kind: "alias" };
    const dir = directory({
      users: [ann.user],
      addresses: [ann.address, alias],
      mappings: [mapping("c1", "u1", "id-ann")],
    });
    const same = entry("u1", "ann@example.com", { name: "Ann", aliases: ["a@example.com"] });
    const unchanged = plan([{ connector: CORP, entries: [same] }], dir);
    expect(unchanged.changes).toEqual([]);
    expect(unchanged.dnChanges).toEqual([]);
    const respelled = plan([{ connector: CORP, entries: [{ ...same, aliases: ["A@example.com"] }] }], dir);
    expect(respelled.counts.updated).toBe(1);
    expect(respelled.addressRewrites[0]?.aliases.map((a) => a.address)).toEqual(["A@example.com"]);
  });

  it("reclaims a Manually Imported User by primary address and adopts an unmapped Directory User", () => {
    const imported = user("id-imp", "imp@example.com", "imported");
    const loose = user("id-dir", "dir@example.com", "directory");
    const dir = directory({
      people: [imported, loose],
    });
    const p = plan(
      [
        {
          connector: CORP,
          entries: [entry("u1", "imp@example.com"), entry("u2", "dir@example.com", { name: "id-dir" })],
        },
      ],
      dir,
    );
    expect(p.counts).toMatchObject({ created: 0, reclaimed: 1, updated: 0 });
    expect(p.changes).toMatchObject([{ action: "reclaim", userId: "id-imp", after: { type: "directory" } }]);
    expect(p.adoptions.map((a) => [a.externalId, a.userId])).toEqual([
      ["u1", "id-imp"],
      ["u2", "id-dir"],
    ]);
    expect(p.errors).toEqual([]);
  });

  it("reports sync_address_conflict for a manual user, a mapped Directory User or an alias, and leaves them", () => {
    const manual = user("id-man", "man@example.com", "manual");
    const mapped = user("id-map", "map@example.com", "directory");
    const dir = directory({
      users: [manual.user, mapped.user],
      addresses: [
        manual.address,
        mapped.address,
        { addressKey: "alias@example.com", address: "alias@example.com", userId: "id-man", kind: "alias" },
      ],
      mappings: [mapping("c2", "x", "id-map")],
    });
    const p = plan(
      [
        {
          connector: CORP,
          entries: [
            entry("u1", "man@example.com"),
            entry("u2", "map@example.com"),
            entry("u3", "alias@example.com"),
          ],
        },
      ],
      dir,
    );
    expect(p.changes).toEqual([]);
    expect(p.adoptions).toEqual([]);
    expect(p.errors.map((e) => [e.code, e.address])).toEqual([
      ["sync_address_conflict", "man@example.com"],
      ["sync_address_conflict", "map@example.com"],
      ["sync_address_conflict", "alias@example.com"],
    ]);
  });

  it("keeps a new user's free aliases and reports those taken in this or another account", () => {
    const bob = user("id-bob", "bob@example.com", "manual");
    const dir = directory({
      users: [bob.user],
      addresses: [
        bob.address,
        { ...bob.address, addressKey: "b@example.com", address: "b@example.com", kind: "alias" },
      ],
    });
    const reads = [
      {
        connector: CORP,
        entries: [
          entry("u1", "new@example.com", {
            aliases: ["b@example.com", "free@example.com", "elsewhere@example.com"],
          }),
          entry("u2", "taken@example.com"),
        ],
      },
    ];
    const selected = selectSyncEntries(reads, dir.domains);
    expect(addressKeysToCheck(selected, dir)).toEqual([
      "new@example.com",
      "free@example.com",
      "elsewhere@example.com",
      "taken@example.com",
    ]);
    const p = planSync(selected, dir, new Set(["elsewhere@example.com", "taken@example.com"]));
    expect(p.counts.created).toBe(1);
    const [create] = p.changes;
    expect(create?.action === "create" && create.aliases.map((a) => a.address)).toEqual(["free@example.com"]);
    expect(p.errors.map((e) => [e.code, e.address])).toEqual([
      ["sync_address_conflict", "b@example.com"],
      ["sync_address_conflict", "elsewhere@example.com"],
      ["sync_address_conflict", "taken@example.com"],
    ]);
  });

  it("keeps the rulebook's first ten aliases and reports the entry", () => {
    const aliases = Array.from({ length: 12 }, (_, i) => `a${i}@example.com`);
    const p = plan([{ connector: CORP, entries: [entry("u1", "many@example.com", { aliases })] }]);
    expect(codes(p)).toEqual(["alias_limit_exceeded"]);
    expect(p.errors[0]).toMatchObject({ connector: "corp", address: "many@example.com" });
    const [create] = p.changes;
    expect(create?.action === "create" && create.aliases.map((a) => a.address)).toEqual(aliases.slice(0, 10));
  });

  it("skips duplicate ids and addresses, bad addresses and foreign domains, and goes on", () => {
    const p = plan([
      {
        connector: CORP,
        entries: [
          entry("u1", "ann@example.com", { aliases: ["shared@example.com"] }),
          entry("u1", "other@example.com"),
          entry("u2", "not-an-address"),
          entry("u3", "eve@elsewhere.net"),
          entry("u4", "SHARED@example.com"),
        ],
      },
      { connector: HR, entries: [entry("u1", "ANN@example.com"), entry("u9", "cara@example.com")] },
    ]);
    expect(codes(p)).toEqual([
      "sync_entry_duplicate",
      "address_invalid",
      "domain_not_internal",
      "sync_entry_duplicate",
      "sync_entry_duplicate",
    ]);
    expect(p.errors[0]).toMatchObject({ connector: "corp", dn: "uid=u1,dc=example,dc=com" });
    expect(p.errors[4]).toMatchObject({ connector: "hr", address: "ANN@example.com" });
    expect(p.counts.created).toBe(2);
  });

  it("flags mapped users a connector no longer returns, un-flags returning ones, and removes by opt-in", () => {
    const gone = user("id-gone", "gone@example.com", "directory");
    const claimed = user("id-imp", "imp@example.com", "imported");
    const back = user("id-back", "back@example.com", "directory");
    const dir = directory({
      people: [gone, claimed, back],
      mappings: [
        mapping("c1", "g", "id-gone"),
        mapping("c1", "i", "id-imp"),
        mapping("c1", "b", "id-back", "2024-01-01T00:00:00.000Z"),
      ],
    });
    const reads = (removeMissing: boolean) => [
      {
        connector: { ...CORP, removeMissing },
        entries: [entry("b", "back@example.com", { name: "id-back" })],
      },
    ];
    const kept = plan(reads(false), dir);
    expect(kept.flagged.map((f) => [f.externalId, f.email, f.connectorName])).toEqual([
      ["g", "gone@example.com", "corp"],
      ["i", "imp@example.com", "corp"],
    ]);
    expect(kept.returning).toEqual([{ connectorId: "c1", externalId: "b" }]);
    expect(kept.removals).toEqual([]);
    const swept = plan(reads(true), dir);
    // Only Directory Users go: an import has since claimed the other.
    expect(swept.removals).toEqual([{ userId: "id-gone", email: "gone@example.com" }]);
    expect(swept.counts).toMatchObject({ flagged: 2, removed: 1 });
  });

  it("does nothing destructive while any connector failed: no removal, no reclaim, no flag of its users", () => {
    const gone = user("id-gone", "gone@example.com", "directory");
    const imported = user("id-imp", "imp@example.com", "imported");
    const hrUser = user("id-hr", "hr@example.com", "directory");
    const dir = directory({
      people: [gone, imported, hrUser],
      mappings: [mapping("c1", "g", "id-gone"), mapping("c2", "h", "id-hr")],
    });
    const p = plan(
      [
        { connector: { ...CORP, removeMissing: true }, entries: [entry("i", "imp@example.com")] },
        { connector: { ...HR, removeMissing: true }, entries: undefined },
      ],
      dir,
    );
    expect(p.changes).toEqual([]);
    expect(p.adoptions).toEqual([]);
    expect(p.removals).toEqual([]);
    // Marking is not destructive: the healthy connector's missing user is flagged, the failed one's is not.
    expect(p.flagged.map((f) => f.externalId)).toEqual(["g"]);
  });
});
