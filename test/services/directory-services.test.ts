import { describe, expect, it } from "vitest";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import { listAudit } from "../../src/services/audit-service.js";
import { addGroupMembers, createGroup, showGroup } from "../../src/services/groups-service.js";
import { setPasswordPolicy } from "../../src/services/password-policy-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createUser } from "../../src/services/users/create-user.js";
import { findUsersByAddresses, getUser, listUsers } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { addNote, setAliases, setAttributes } from "../../src/services/users/update-user.js";
import type { ServiceContext } from "../../src/services/context.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import {
  ADMIN_PASSWORD,
  exampleWithAdministrator,
  initExample,
  makeContext,
} from "../support/service-context.js";

/** Everything a refused request must leave untouched. */
async function snapshot(context: ServiceContext): Promise<unknown> {
  return { users: await listUsers(context, {}), audit: (await listAudit(context, {})).length };
}

describe.each(DIALECTS)("directory services on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("initialises an account with domains and a Super Administrator", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    const admin = await getUser(context, "ADMIN@example.com");
    expect(admin).toMatchObject({ email: "admin@example.com", account: "CxAy", hasPassword: true });
    expect(admin.roles).toEqual(["Super Administrator"]);
    const actions = (await listAudit(context, {})).map((e) => e.action);
    expect(actions).toEqual([
      "account.create",
      "domain.create",
      "domain.create",
      "user.create",
      "role.assign",
    ]);
    expect(JSON.stringify(await listAudit(context, {}))).not.toContain(ADMIN_PASSWORD);
    expect(JSON.stringify(await listAudit(context, {}))).not.toContain("argon2");
  });

  it("saves many users in one call with aliases, attributes, groups and notes", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    const result = await saveUsers(context, {
      users: [
        {
          email: "Jane@Example.com",
          name: "Jane Doe",
          type: "imported",
          aliases: ["j.doe@example.org"],
          attributes: { Department: "Sales" },
          groups: ["Staff/London"],
          notes: ["Imported from HR"],
          pop: true,
        },
        { email: "bob@example.com", name: "Bob", type: "imported", attributes: { "department ": "IT" } },
      ],
    });
    expect(result).toEqual({ created: ["Jane@example.com", "bob@example.com"], updated: [] });
    const found = await findUsersByAddresses(context, [
      "J.DOE@example.org",
      "bob@example.com",
      "nobody@example.com",
    ]);
    expect([...found.keys()].sort()).toEqual(["bob@example.com", "j.doe@example.org"]);
    const jane = found.get("j.doe@example.org");
    expect(jane).toMatchObject({
      email: "Jane@example.com",
      type: "imported",
      pop: true,
      hasPassword: false,
      aliases: ["j.doe@example.org"],
      attributes: { Department: "Sales" },
      groups: ["Staff/London"],
    });
    expect(jane?.notes.map((n) => n.text)).toEqual(["Imported from HR"]);
    // "department " matched the existing "Department" definition.
    expect((await getUser(context, "bob@example.com")).attributes).toEqual({ Department: "IT" });

    const updated = await saveUsers(context, { users: [{ email: "jane@example.com", name: "Jane D." }] });
    expect(updated).toEqual({ created: [], updated: ["Jane@example.com"] });
    await setAliases(context, "jane@example.com", ["jd@example.com"]);
    await setAttributes(context, "jd@example.com", { DEPARTMENT: "", Site: "London" });
    await addNote(context, "jane@example.com", "Moved desk");
    await addGroupMembers(context, { path: "Staff/Paris", members: ["bob@example.com", "jd@example.com"] });
    const after = await getUser(context, "jane@example.com");
    expect(after).toMatchObject({
      name: "Jane D.",
      aliases: ["jd@example.com"],
      attributes: { Site: "London" },
    });
    expect(after.groups).toEqual(["Staff/London", "Staff/Paris"]);
    expect(await showGroup(context, { path: "staff/paris" })).toEqual({
      path: "Staff/Paris",
      members: ["bob@example.com", "Jane@example.com"],
    });
    expect((await findUsersByAddresses(context, ["j.doe@example.org"])).size).toBe(0);
  });

  it("creates group parents and accounts under a master", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    expect((await createGroup(context, { path: "A/B/C" })).created).toEqual(["A", "A/B", "A/B/C"]);
    expect((await createGroup(context, { path: "a/b" })).created).toEqual([]);
    const child = await createAccount(context, {
      name: "EU",
      code: "eu1",
      parent: "CxAy",
      kind: "mail-processing",
    });
    expect(child).toEqual({ code: "eu1", name: "EU", kind: "mail-processing", parent: "CxAy" });
    await expect(
      createAccount(context, { name: "X", code: "x2", parent: "eu1", kind: "grouping" }),
    ).rejects.toMatchObject({
      code: "account_parent_invalid",
    });
    await expect(createAccount(context, { name: "Y", code: "CXAY" })).rejects.toMatchObject({
      code: "account_code_taken",
    });
    await createAccount(context, { name: "Other", code: "other" });
    await expect(createGroup(context, { path: "G" })).rejects.toMatchObject({ code: "account_required" });
    await addDomain(context, { domain: "eu.example.net", account: "eu1", recipientValidation: "accept-all" });
    await assignRole(context, { email: "admin@example.com", role: "Master Administrator" });
  });

  it("refuses bad input with a code and changes nothing", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    await saveUsers(context, {
      users: [{ email: "jane@example.com", name: "Jane", aliases: ["sales@example.com"] }],
    });
    const before = await snapshot(context);
    const cases: [() => Promise<unknown>, string][] = [
      [() => createUser(context, { email: "not an address", name: "X" }), "address_invalid"],
      [() => createUser(context, { email: "x@elsewhere.net", name: "X" }), "domain_not_internal"],
      [() => createUser(context, { email: "SALES@example.com", name: "X" }), "address_taken"],
      [() => createUser(context, { email: "Jane@example.com", name: "X" }), "address_taken"],
      [
        () => createUser(context, { email: "x@example.com", name: "X", password: "password1" }),
        "password_weak",
      ],
      [() => assignRole(context, { email: "jane@example.com", role: "Root" }), "role_unknown"],
      [
        () => assignRole(context, { email: "jane@example.com", role: "Migration Administrator" }),
        "role_not_available",
      ],
      [() => addDomain(context, { domain: "example.com" }), "domain_taken"],
      [() => addDomain(context, { domain: "no_domain" }), "domain_invalid"],
      [() => setPasswordPolicy(context, { changes: { minClasses: 9 } }), "policy_invalid"],
      [() => addNote(context, "jane@example.com", "x".repeat(101)), "note_invalid"],
      // All or nothing: the first user is valid, the second's alias is taken.
      [
        () =>
          saveUsers(context, {
            users: [
              { email: "ok@example.com", name: "OK" },
              { email: "bad@example.com", name: "Bad", aliases: ["Sales@Example.com"] },
            ],
          }),
        "address_taken",
      ],
    ];
    for (const [run, code] of cases) await expect(run()).rejects.toMatchObject({ code });
    expect(await snapshot(context)).toEqual(before);
  });

  it("reports every broken password rule", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    await setPasswordPolicy(context, { changes: { minLength: 12, requireSymbol: true, minClasses: 4 } });
    await expect(
      createUser(context, { email: "x@example.com", name: "X", password: "zebracorn" }),
    ).rejects.toMatchObject({
      code: "password_weak",
      details: {
        rules: ["password_too_short", "password_needs_symbol", "password_needs_classes"],
      },
    });
  });

  it("enforces roles and protects protected-role holders", async () => {
    const { system, acting: basic } = await exampleWithAdministrator(getDb(), {
      email: "basic@example.com",
      name: "Basic",
      role: "Basic Administrator",
    });
    await createUser(basic, { email: "new@example.com", name: "New" });
    await expect(
      assignRole(basic, { email: "new@example.com", role: "Helpdesk Administrator" }),
    ).rejects.toMatchObject({
      code: "permission_denied",
    });
    await expect(setPasswordPolicy(basic, { changes: { minLength: 10 } })).rejects.toMatchObject({
      code: "permission_denied",
    });
    await expect(
      saveUsers(basic, { users: [{ email: "admin@example.com", locked: true }] }),
    ).rejects.toMatchObject({
      code: "protected_role_required",
    });
    // A role acts only on users at or below it: a protected holder's name is theirs too (issue 10).
    await expect(
      saveUsers(basic, { users: [{ email: "admin@example.com", name: "Chief" }] }),
    ).rejects.toMatchObject({ code: "protected_role_required" });
    // Restating what is already so is no change.
    const admin = await getUser(system, "admin@example.com");
    await saveUsers(basic, { users: [{ email: "admin@example.com", name: admin.name, locked: false }] });
    expect((await getUser(system, "admin@example.com")).locked).toBe(false);
    const stranger = makeContext(getDb(), { kind: "user", email: "new@example.com" });
    await expect(createGroup(stranger, { path: "X" })).rejects.toMatchObject({ code: "permission_denied" });
  });
});
