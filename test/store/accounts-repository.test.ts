import { describe, expect, it } from "vitest";
import { isWithinAccount, lookUpParentsIn, MAX_ACCOUNT_DEPTH } from "../../src/directory/account-tree.js";
import { insertAccount, listAccountAncestry } from "../../src/store/accounts-repository.js";
import { findDomainClaims, insertDomain } from "../../src/store/domains-repository.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";

describe.each(DIALECTS)("accounts repository on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  async function addAccount(id: string, parentId: string | null): Promise<void> {
    await insertAccount(database().db, {
      id,
      account_id: id,
      code: id,
      code_key: id,
      name: id,
      kind: parentId === null ? "master" : "grouping",
      parent_id: parentId,
      created_at: "2026-01-01T00:00:00.000Z",
    });
  }

  it("loads an account's ancestors, nearest first, in one bounded query", async () => {
    await addAccount("top", null);
    await addAccount("mid", "top");
    await addAccount("leaf", "mid");
    const db = database().db;
    expect(await listAccountAncestry(db, "leaf", MAX_ACCOUNT_DEPTH)).toEqual([
      { id: "leaf", parentId: "mid" },
      { id: "mid", parentId: "top" },
      { id: "top", parentId: null },
    ]);
    expect(await listAccountAncestry(db, "leaf", 1)).toHaveLength(2);
    expect(await listAccountAncestry(db, "ghost", MAX_ACCOUNT_DEPTH)).toEqual([]);
  });

  it("ends on a cycle written by hand", async () => {
    await addAccount("a", null);
    await addAccount("b", "a");
    const db = database().db;
    await db.updateTable("accounts").set({ parent_id: "b" }).where("id", "=", "a").execute();
    const chain = await listAccountAncestry(db, "a", MAX_ACCOUNT_DEPTH);
    expect(chain).toHaveLength(MAX_ACCOUNT_DEPTH + 1);
    const parentOf = lookUpParentsIn(chain);
    expect(isWithinAccount(parentOf, "a", "b")).toBe(true);
    expect(isWithinAccount(parentOf, "a", "elsewhere")).toBe(false);
  });

  it("finds the same name, its parents and its subdomains, and nothing that only ends alike", async () => {
    await addAccount("top", null);
    const names = ["acme.test", "corp.acme.test", "x.mail.corp.acme.test", "xcorp.acme.test", "other.test"];
    for (const name of names) {
      await insertDomain(database().db, {
        id: name,
        account_id: "top",
        name,
        recipient_validation: "known-recipients",
        created_at: "2026-01-01T00:00:00.000Z",
      });
    }
    const claims = await findDomainClaims(database().db, "corp.acme.test", ["acme.test"]);
    expect(claims.map((c) => c.name)).toEqual(["acme.test", "corp.acme.test", "x.mail.corp.acme.test"]);
    // LIKE wildcards in the name are matched literally.
    expect(await findDomainClaims(database().db, "%", [])).toEqual([]);
    expect(await findDomainClaims(database().db, "_cme.test", [])).toEqual([]);
  });
});
