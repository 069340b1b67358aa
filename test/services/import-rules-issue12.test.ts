import { describe, expect, it } from "vitest";
import { ROLE_NAMES_TEXT } from "../../src/directory/roles.js";
import { createAccount } from "../../src/services/accounts-service.js";
import { showGroup } from "../../src/services/groups-service.js";
import { showImport } from "../../src/services/imports/import-queries.js";
import type { ImportRequest } from "../../src/services/imports/import-request.js";
import { previewImport, saveImport } from "../../src/services/imports/run-import.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { getUser } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { setAliases } from "../../src/services/users/update-user.js";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { errorCells, usersXls } from "../support/import-files.js";
import { exampleWithStaff } from "../support/service-context.js";

// Issue 12: ten aliases per user counting the stored ones, adminrole short names, the note on every address
// the file names, and warnings that name the addresses.

/** A file of one user row: the address, the name and an alias column per alias. */
const aliasXls = (email: string, name: string | null, aliases: readonly string[]): Uint8Array =>
  usersXls([
    ["email", "name", ...aliases.map((_, i) => `alias${i + 1}`)],
    [email, name, ...aliases],
  ]);

/** The request to import `bytes` into Staff, the group setUp makes. */
const intoStaff = (
  fileName: string,
  bytes: Uint8Array,
  more: Partial<ImportRequest> = {},
): ImportRequest => ({
  fileName,
  bytes,
  group: "Staff",
  ...more,
});

const many = (prefix: string, n: number, domain = "example.com"): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, "0")}@${domain}`);

describe.each(DIALECTS)("import rules of issue 12 on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  const setUp = () => exampleWithStaff(getDb());

  it("counts the aliases already stored: a second file of six new aliases fails at the fifth", async () => {
    const { admin } = await setUp();
    const first = many("a", 6);
    const saved = await saveImport(admin, intoStaff("a.xls", aliasXls("jane@example.com", "Jane", first)));
    expect(saved).toMatchObject({ ok: true, summary: { create: 1, aliasesAdded: 6 } });

    // Columns: A email, B name, C..H alias1..alias6; six stored + four new reach ten, the fifth new (G) is over.
    const second = many("b", 6);
    const refused = await saveImport(admin, intoStaff("b.xls", aliasXls("jane@example.com", null, second)));
    expect([refused.ok, refused.saved]).toEqual([false, false]);
    expect(errorCells(refused)).toEqual([["alias_limit_exceeded", "G2"]]);
    expect((await getUser(admin, "jane@example.com")).aliases).toEqual(first);

    // Aliases the user already holds are not new: six held + four new is exactly ten.
    const ten = [...first, ...second.slice(0, 4)];
    const filled = await saveImport(admin, intoStaff("c.xls", aliasXls("jane@example.com", null, ten)));
    expect(filled).toMatchObject({ ok: true, saved: true, summary: { update: 1, aliasesAdded: 4 } });
    // A re-import of the same ten changes nothing and is no error.
    const again = await saveImport(admin, intoStaff("c.xls", aliasXls("jane@example.com", null, ten)));
    expect(again).toMatchObject({ ok: true, summary: { unchanged: 1, aliasesAdded: 0 } });
    // One more, anywhere in the row, fails at its own cell (alias1 = C2 here).
    const eleventh = await previewImport(
      admin,
      intoStaff("d.xls", aliasXls("jane@example.com", null, ["z@example.com", ...first])),
    );
    expect(errorCells(eleventh)).toEqual([["alias_limit_exceeded", "C2"]]);
  });

  it("the console and API alias doors agree: the user's aliases after the change, at most ten", async () => {
    const { admin } = await setUp();
    await saveImport(admin, intoStaff("a.xls", aliasXls("jane@example.com", "Jane", many("a", 6))));
    const stored = (await getUser(admin, "jane@example.com")).aliases;
    // Adding five to the six stored (the console sends the whole list) is eleven.
    await expect(setAliases(admin, "jane@example.com", [...stored, ...many("b", 5)])).rejects.toMatchObject({
      code: "alias_limit_exceeded",
    });
    await setAliases(admin, "jane@example.com", [...stored, ...many("b", 4)]);
    expect((await getUser(admin, "jane@example.com")).aliases).toHaveLength(10);
  });

  it("adminrole and role assignment take the full or the short name, any case, spaces ignored", async () => {
    const { system, admin } = await setUp();
    await createAccount(system, { name: "Europe", code: "eu1", parent: "CxAy", kind: "grouping" });
    await assignRole(system, { email: "admin@example.com", role: " master " });
    const rows = usersXls([
      ["email", "name", "adminrole"],
      ["b@example.com", "B", " basic "],
      ["h@example.com", "H", "HELPDESK"],
      ["g@example.com", "G", "gateway administrator"],
      ["x@example.com", "X", "Boss"],
      ["m@example.com", "M", "Migration"],
    ]);
    const refused = await previewImport(admin, intoStaff("r.xls", rows));
    expect(errorCells(refused)).toEqual([["role_unknown", "C5"]]);
    // The message lists the names the roles table accepts.
    expect(refused.errors[0]?.message).toContain(ROLE_NAMES_TEXT);
    const good = usersXls([
      ["email", "name", "adminrole"],
      ["b@example.com", "B", " basic "],
      ["h@example.com", "H", "HELPDESK"],
      ["g@example.com", "G", "gateway administrator"],
      ["m@example.com", "M", "Migration"],
    ]);
    expect((await saveImport(admin, intoStaff("g.xls", good))).saved).toBe(true);
    const roles = async (email: string) => (await getUser(admin, email)).roles;
    expect(await roles("b@example.com")).toEqual(["Basic Administrator"]);
    expect(await roles("h@example.com")).toEqual(["Helpdesk Administrator"]);
    expect(await roles("g@example.com")).toEqual(["Gateway Administrator"]);
    expect(await roles("m@example.com")).toEqual(["Migration Administrator"]);
    // The same role again by its other name is unchanged, not an error.
    const same = usersXls([
      ["email", "name", "adminrole"],
      ["b@example.com", null, "Basic Administrator"],
    ]);
    expect((await previewImport(admin, intoStaff("s.xls", same))).summary).toMatchObject({ unchanged: 1 });
    // The roles door (API and CLI call it) accepts the short names too, and refuses an unknown one.
    await assignRole(admin, { email: "b@example.com", role: "\tFULL " });
    expect(await roles("b@example.com")).toEqual(["Basic Administrator", "Full Administrator"]);
    await expect(assignRole(admin, { email: "b@example.com", role: "Boss" })).rejects.toMatchObject({
      code: "role_unknown",
    });
  });

  it("attaches the note to every user the file names, once per text", async () => {
    const { system, admin } = await setUp();
    await saveUsers(system, { users: [{ email: "old@example.com", name: "Old" }] });
    const file = usersXls([
      ["email", "name"],
      ["jane@example.com", "Jane"],
      ["old@example.com", "Old"],
    ]);
    // old@ is unchanged by the row (same name) but placed in the group; jane@ is created.
    await saveImport(admin, intoStaff("a.xls", file, { note: "HR feed" }));
    const notes = async (email: string) => (await getUser(admin, email)).notes.map((n) => n.text);
    expect([await notes("jane@example.com"), await notes("old@example.com")]).toEqual([
      ["HR feed"],
      ["HR feed"],
    ]);
    // An unchanged re-import with the same note adds nothing; another note goes to every unchanged user.
    const again = await saveImport(admin, intoStaff("a.xls", file, { note: "HR feed" }));
    expect(again.summary).toMatchObject({ unchanged: 2 });
    expect([await notes("jane@example.com"), await notes("old@example.com")]).toEqual([
      ["HR feed"],
      ["HR feed"],
    ]);
    await saveImport(admin, { fileName: "a.xls", bytes: file, note: "Audit 2026" });
    expect(await notes("jane@example.com")).toEqual(["HR feed", "Audit 2026"]);
    expect(await notes("old@example.com")).toEqual(["HR feed", "Audit 2026"]);
    // A file with an error writes no note at all (the import is atomic).
    const broken = usersXls([
      ["email", "name", "pop"],
      ["jane@example.com", null, null],
      ["new@example.com", "New", "maybe"],
    ]);
    expect((await saveImport(admin, { fileName: "b.xls", bytes: broken, note: "Never" })).saved).toBe(false);
    expect(await notes("jane@example.com")).toEqual(["HR feed", "Audit 2026"]);
  });

  it("names the directory users that become imported: the first 50, and a count of the rest", async () => {
    const { system, admin } = await setUp();
    const directory = many("d", 55);
    await saveUsers(system, { users: directory.map((email) => ({ email, name: email, type: "directory" })) });
    const rows: XlsValue[][] = [["email", "name"], ...directory.map((email) => [email, null])];
    const preview = await previewImport(admin, intoStaff("d.xls", usersXls(rows)));
    expect(preview.summary).toMatchObject({ typeChanged: 55 });
    const [warning] = preview.warnings;
    expect(warning).toMatchObject({
      code: "users_become_imported",
      addresses: directory.slice(0, 50),
      moreAddresses: 5,
    });
    expect(warning?.message).toContain("55 Directory User(s)");
    expect(warning?.message).toContain(`${directory.slice(0, 5).join(", ")} and 50 more.`);
    // The record keeps them: the import shown later names the same addresses.
    const shown = await showImport(admin, preview.importId ?? "");
    expect(shown.warnings).toEqual(preview.warnings);
  });

  it("names the members an overwrite removes, also when the sheet is empty", async () => {
    const { admin } = await setUp();
    const members = many("m", 53);
    const rows: XlsValue[][] = [["email", "name"], ...members.map((email) => [email, email])];
    await saveImport(admin, intoStaff("m.xls", usersXls(rows)));
    expect((await showGroup(admin, { path: "Staff" })).members).toHaveLength(53);

    const keepTwo = usersXls([
      ["email", "name"],
      [members[0] ?? "", null],
      [members[1] ?? "", null],
    ]);
    const partial = await previewImport(admin, intoStaff("k.xls", keepTwo, { override: "overwrite" }));
    expect(partial.summary).toMatchObject({ groupRemoved: 51 });
    expect(partial.warnings).toEqual([
      expect.objectContaining({
        code: "group_members_removed",
        addresses: members.slice(2, 52),
        moreAddresses: 1,
      }),
    ]);

    const empty = usersXls([["email", "name"]]);
    const emptied = await saveImport(admin, intoStaff("e.xls", empty, { override: "overwrite" }));
    expect(emptied).toMatchObject({ ok: true, saved: true, summary: { groupRemoved: 53 } });
    expect(emptied.warnings.map((w) => [w.code, w.addresses?.length ?? 0, w.moreAddresses ?? 0])).toEqual([
      ["import_no_rows", 0, 0],
      ["group_members_removed", 50, 3],
    ]);
    expect(emptied.warnings[1]?.message).toContain("Overwrite removes 53 member(s)");
    expect((await showGroup(admin, { path: "Staff" })).members).toEqual([]);
  });
});
