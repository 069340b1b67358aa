import { describe, expect, it } from "vitest";
import { createAccount, addDomain } from "../../src/services/accounts-service.js";
import { listAudit } from "../../src/services/audit-service.js";
import type { ServiceContext } from "../../src/services/context.js";
import { createGroup, addGroupMembers, showGroup } from "../../src/services/groups-service.js";
import { listImports, showImport } from "../../src/services/imports/import-queries.js";
import { previewImport, saveImport } from "../../src/services/imports/run-import.js";
import { listOutbox } from "../../src/services/outbox-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createUser } from "../../src/services/users/create-user.js";
import { getUser, listUsers } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { errorCells, usersXls } from "../support/import-files.js";
import { NO_CHANGES } from "../support/import-summary.js";
import { exampleWithAdministrator, exampleWithStaff, makeContext } from "../support/service-context.js";

async function snapshot(context: ServiceContext): Promise<unknown> {
  return { users: await listUsers(context, {}), audit: (await listAudit(context, {})).length };
}

describe.each(DIALECTS)("import services on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  const setUp = async (): Promise<ServiceContext> => (await exampleWithStaff(getDb())).admin;

  const file = usersXls([
    ["email", "name", "pop", "alias1", "Department", "costcentre"],
    ["jane@example.com", "Jane Doe", "yes", "j.doe@example.org", "Sales", "007"],
    ["bob@example.com", "Bob", "n", null, "IT", null],
  ]);

  it("previews without writing, then saves everything, then a re-import changes nothing", async () => {
    const context = await setUp();
    const before = await snapshot(context);
    const preview = await previewImport(context, { fileName: "users.xls", bytes: file, group: "Staff" });
    expect(preview).toMatchObject({
      ok: true,
      saved: false,
      sheet: "Users",
      checkpoint: "A1",
      summary: {
        ...NO_CHANGES,
        rows: 2,
        create: 2,
        aliasesAdded: 1,
        attributesCreated: ["Department", "costcentre"],
        groupAdded: 2,
      },
      errors: [],
    });
    expect(await snapshot(context)).toEqual(before);
    expect((await showImport(context, preview.importId ?? "")).state).toBe("validated");

    const saved = await saveImport(context, {
      fileName: "users.xls",
      bytes: file,
      group: "Staff",
      note: "HR feed",
    });
    expect(saved).toMatchObject({ ok: true, saved: true, summary: { create: 2 } });
    const jane = await getUser(context, "j.doe@example.org");
    expect(jane).toMatchObject({
      email: "jane@example.com",
      type: "imported",
      pop: true,
      aliases: ["j.doe@example.org"],
      attributes: { Department: "Sales", costcentre: "007" },
      groups: ["Staff"],
    });
    expect(jane.notes.map((n) => n.text)).toEqual(["HR feed"]);
    const actions = (await listAudit(context, {})).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(["user.create", "user.create", "import.save"]);

    const again = await saveImport(context, {
      fileName: "users.xls",
      bytes: file,
      group: "Staff",
      note: "HR feed",
    });
    expect(again.summary).toMatchObject({
      create: 0,
      update: 0,
      unchanged: 2,
      aliasesAdded: 0,
      groupAdded: 0,
    });
    expect(again.summary.attributesCreated).toEqual([]);
    expect((await getUser(context, "jane@example.com")).notes).toHaveLength(1);
    const states = (await listImports(context, {})).map((i) => i.state);
    expect(states).toEqual(["validated", "saved", "saved"]);
  });

  it("updates only what a row says; empty cells never erase", async () => {
    const context = await setUp();
    await saveImport(context, { fileName: "a.xls", bytes: file, group: "Staff" });
    const update = usersXls([
      ["email", "name", "pop", "alias1", "Department"],
      ["JANE@example.com", null, null, "jane.d@example.com", null],
    ]);
    const result = await saveImport(context, { fileName: "b.xls", bytes: update, group: "Staff" });
    expect(result.summary).toMatchObject({ update: 1, aliasesAdded: 1 });
    expect(await getUser(context, "jane@example.com")).toMatchObject({
      name: "Jane Doe",
      pop: true,
      aliases: ["j.doe@example.org", "jane.d@example.com"].sort(),
      attributes: { Department: "Sales", costcentre: "007" },
    });
  });

  it("overwrite makes the group exactly the imported users and lists who leaves", async () => {
    const context = await setUp();
    await createUser(context, { email: "old@example.com", name: "Old" });
    await addGroupMembers(context, { path: "Staff", members: ["old@example.com"] });
    const preview = await previewImport(context, {
      fileName: "u.xls",
      bytes: file,
      group: "Staff",
      override: "overwrite",
    });
    expect(preview.summary).toMatchObject({ groupAdded: 2, groupRemoved: 1 });
    await saveImport(context, { fileName: "u.xls", bytes: file, group: "Staff", override: "overwrite" });
    expect((await showGroup(context, { path: "Staff" })).members).toEqual([
      "bob@example.com",
      "jane@example.com",
    ]);
  });

  it("add keeps the other members; upload only places nobody", async () => {
    const context = await setUp();
    await createUser(context, { email: "old@example.com", name: "Old" });
    await addGroupMembers(context, { path: "Staff", members: ["old@example.com"] });
    await saveImport(context, { fileName: "u.xls", bytes: file, group: "Staff", override: "add" });
    expect((await showGroup(context, { path: "Staff" })).members).toHaveLength(3);
    const other = usersXls([
      ["email", "name"],
      ["solo@example.com", "Solo"],
    ]);
    const uploaded = await saveImport(context, { fileName: "o.xls", bytes: other });
    expect(uploaded.summary.groupAdded).toBe(0);
    expect((await getUser(context, "solo@example.com")).groups).toEqual([]);
  });

  it("is all or nothing: an error in the last row writes nothing and mails the importer", async () => {
    const context = await setUp();
    const before = await snapshot(context);
    const rows = usersXls([
      ["email", "name"],
      ["a@example.com", "A"],
      ["b@example.com", "B"],
      ["c@elsewhere.net", "C"],
    ]);
    const result = await saveImport(context, { fileName: "bad.xls", bytes: rows, group: "Staff" });
    expect(result).toMatchObject({ ok: false, saved: false });
    expect(errorCells(result)).toEqual([["domain_not_internal", "A4"]]);
    expect(await snapshot(context)).toEqual(before);
    expect((await showImport(context, result.importId ?? "")).state).toBe("failed");
    const [mail] = await listOutbox(context);
    expect(mail).toMatchObject({ to: "admin@example.com", state: "queued" });
    expect(mail?.body).toContain("bad.xls");
    expect(mail?.body).toContain("A4");
  });

  it("fails with import_conflict, writing nothing, when another change takes an address while it saves", async () => {
    const context = await setUp();
    const system = makeContext(getDb());
    const rows = usersXls([
      ["email", "name", "password"],
      ["a@example.com", "A", "Sunny-Harbour-77"],
      ["b@example.com", "B", "Tidal-Lantern-78"],
    ]);
    // The real hasher; while it hashes (after the directory was checked, before the transaction), an
    // administrator elsewhere creates b@example.com.
    const racing: ServiceContext = {
      ...context,
      hasher: {
        hash: (password) => context.hasher.hash(password),
        verify: (hashed, password) => context.hasher.verify(hashed, password),
        hashMany: async (passwords, onProgress) => {
          await createUser(system, { email: "b@example.com", name: "B elsewhere" });
          return Promise.all(passwords.map((p) => context.hasher.hash(p))).finally(() =>
            onProgress?.(passwords.length),
          );
        },
      },
    };
    const result = await saveImport(racing, { fileName: "race.xls", bytes: rows });
    expect(result).toMatchObject({ ok: false, saved: false });
    expect(errorCells(result)).toEqual([["import_conflict", null]]);
    expect((await getUser(context, "b@example.com")).name).toBe("B elsewhere");
    expect((await listUsers(context, {})).map((u) => u.email)).not.toContain("a@example.com");
    expect((await showImport(context, result.importId ?? "")).state).toBe("failed");
  });

  it("checks each cell against the directory", async () => {
    const context = await setUp();
    await createUser(context, { email: "taken@example.com", name: "Taken" });
    await saveUsers(context, {
      users: [{ email: "holder@example.com", name: "H", aliases: ["held@example.com"] }],
    });
    const rows = usersXls([
      ["email", "name", "alias1"],
      ["new@example.com", null, null],
      ["held@example.com", "X", null],
      ["y@example.com", "Y", "taken@example.com"],
      ["z@example.com", "Z", "z@elsewhere.net"],
    ]);
    const result = await previewImport(context, { fileName: "x.xls", bytes: rows, group: "Nope" });
    expect(errorCells(result).sort()).toEqual(
      [
        ["name_required", "B2"],
        ["address_taken", "A3"],
        ["alias_taken", "C4"],
        ["domain_not_internal", "C5"],
        ["group_not_found", null],
      ].sort(),
    );
  });

  it("refuses weak passwords listing every broken rule, never echoing the password", async () => {
    const context = await setUp();
    const rows = usersXls([
      ["email", "name", "password"],
      ["a@example.com", "A", "abc"],
      ["b@example.com", "B", "Sunny-Harbour-77"],
    ]);
    const result = await saveImport(context, { fileName: "p.xls", bytes: rows, group: "Staff" });
    expect(errorCells(result)).toEqual([["password_weak", "C2"]]);
    expect(result.errors[0]?.message).toContain("password_too_short");
    expect(result.errors[0]?.message).toContain("password_needs_classes");
    const everything = JSON.stringify([
      result,
      await listImports(context, {}),
      await listOutbox(context),
      await listAudit(context, {}),
    ]);
    expect(everything).not.toContain('abc"');
    expect(everything).not.toContain("Sunny-Harbour-77");
  });

  it("sets good passwords, and a password cell always sets the password (no oracle of the current one)", async () => {
    const context = await setUp();
    const rows = usersXls([
      ["email", "name", "password", "changepassword"],
      ["a@example.com", "A", "Sunny-Harbour-77", "yes"],
    ]);
    expect(
      (await saveImport(context, { fileName: "p.xls", bytes: rows, group: "Staff" })).summary.create,
    ).toBe(1);
    expect(await getUser(context, "a@example.com")).toMatchObject({
      hasPassword: true,
      forceChangePassword: true,
    });
    // Whether the cell holds the current password is never checked: that would tell the importer (issue 10).
    const again = await saveImport(context, { fileName: "p.xls", bytes: rows, group: "Staff" });
    expect(again.summary).toMatchObject({ unchanged: 0, update: 1 });
    const everything = JSON.stringify([await listImports(context, {}), await listAudit(context, {})]);
    expect(everything).not.toContain("Sunny-Harbour-77");
  });

  it("a Basic Administrator may not change a protected administrator's password or lockout", async () => {
    const { system, acting: basic } = await exampleWithAdministrator(getDb(), {
      email: "basic@example.com",
      name: "Basic",
      role: "Basic Administrator",
    });
    await createGroup(system, { path: "Staff" });
    const rows = usersXls([
      ["email", "name", "password", "accountlockedout", "passwordneverexpire", "pop"],
      ["admin@example.com", null, "Sunny-Harbour-77", "yes", "no", "yes"],
    ]);
    const result = await previewImport(basic, { fileName: "p.xls", bytes: rows, group: "Staff" });
    // Every cell that would change the Super Administrator is refused (passwordneverexpire is already no).
    expect(errorCells(result)).toEqual([
      ["protected_role_required", "C2"],
      ["protected_role_required", "D2"],
      ["protected_role_required", "F2"],
    ]);
    // A row that changes nothing of theirs (only group membership) is fine.
    const ok = usersXls([
      ["email", "name", "pop"],
      ["admin@example.com", null, "no"],
    ]);
    expect(
      (await saveImport(basic, { fileName: "ok.xls", bytes: ok, group: "Staff" })).summary,
    ).toMatchObject({
      unchanged: 1,
      groupAdded: 1,
    });
  });

  it("remoteaccountcode and adminrole need a Master Administrator on a master account", async () => {
    const { system, admin } = await exampleWithStaff(getDb());
    const rows = usersXls([
      ["email", "name", "remoteaccountcode", "adminrole"],
      ["a@example.com", "A", "eu1", null],
      ["b@example.com", "B", null, "Basic Administrator"],
    ]);
    const refused = await previewImport(admin, { fileName: "r.xls", bytes: rows, group: "Staff" });
    expect(errorCells(refused)).toEqual([
      ["remote_account_not_allowed", "C2"],
      ["admin_role_not_allowed", "D3"],
    ]);

    await createAccount(system, { name: "Europe", code: "eu1", parent: "CxAy", kind: "grouping" });
    await addDomain(system, { domain: "example.net", account: "eu1" });
    await assignRole(system, { email: "admin@example.com", role: "Master Administrator" });
    const master = usersXls([
      ["email", "name", "remoteaccountcode", "adminrole"],
      ["a@example.net", "A", "eu1", null],
      ["b@example.com", "B", null, "Basic Administrator"],
      ["c@example.com", "C", "nowhere", "No Such Role"],
    ]);
    const checked = await previewImport(admin, { fileName: "m.xls", bytes: master, group: "Staff" });
    expect(errorCells(checked)).toEqual([
      ["remote_account_invalid", "C4"],
      ["role_unknown", "D4"],
    ]);
    const good = usersXls([
      ["email", "name", "remoteaccountcode", "adminrole"],
      ["a@example.net", "A", "eu1", null],
      ["b@example.com", "B", null, "Basic Administrator"],
    ]);
    expect((await saveImport(admin, { fileName: "g.xls", bytes: good })).ok).toBe(true);
    expect(await getUser(admin, "a@example.net")).toMatchObject({ account: "eu1" });
    expect((await getUser(admin, "b@example.com")).roles).toEqual(["Basic Administrator"]);
  });

  it("turns directory users into imported users and warns about directory-users domains", async () => {
    const context = await setUp();
    const system = makeContext(getDb());
    await addDomain(system, { domain: "example.net", recipientValidation: "directory-users" });
    await saveUsers(system, { users: [{ email: "d@example.net", name: "D", type: "directory" }] });
    const rows = usersXls([
      ["email", "name"],
      ["d@example.net", null],
    ]);
    const preview = await previewImport(context, { fileName: "d.xls", bytes: rows, group: "Staff" });
    expect(preview.summary).toMatchObject({ typeChanged: 1, update: 1 });
    expect(preview.warnings.map((w) => w.code)).toEqual(["users_become_imported"]);
    expect(preview.warnings[0]?.message).toContain("example.net");
    await saveImport(context, { fileName: "d.xls", bytes: rows, group: "Staff" });
    expect((await getUser(context, "d@example.net")).type).toBe("imported");
  });

  it("records an unreadable file as failed, with the file_* code, and mails the importer", async () => {
    const context = await setUp();
    const result = await previewImport(context, {
      fileName: "junk.xls",
      bytes: new TextEncoder().encode("not a workbook"),
    });
    expect(result).toMatchObject({ ok: false, sheet: null, checkpoint: null });
    expect(result.errors.map((e) => e.code)).toEqual(["file_not_xls"]);
    expect((await listOutbox(context)).map((m) => m.subject)).toEqual(["Import failed: junk.xls"]);
  });

  it("refuses an importer without the import permission", async () => {
    const { acting: gateway } = await exampleWithAdministrator(getDb(), {
      email: "help@example.com",
      name: "Help",
      role: "Gateway Administrator",
    });
    await expect(previewImport(gateway, { fileName: "u.xls", bytes: file })).rejects.toMatchObject({
      code: "permission_denied",
    });
  });
});
