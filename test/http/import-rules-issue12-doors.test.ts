import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROLE_NAMES_TEXT, ROLES } from "../../src/directory/roles.js";
import { addDomain } from "../../src/services/accounts-service.js";
import type { ImportOutcome } from "../../src/services/imports/import-states.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { errorCode } from "../support/api-client.js";
import { cliOn, initExampleArgv } from "../support/cli.js";
import { createCliDatabaseUrl, DIALECTS, useTestDatabase } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";
import { setUpImportApi, waitForImport, xlsUpload } from "../support/imports-api.js";

// Issue 12 through the doors: the addresses a warning names in the API's import record and the CLI's --json,
// the role names in /meta, the API's and CLI's role assignment, the template and the README.

const many = (prefix: string, n: number, domain = "example.com"): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, "0")}@${domain}`);

describe.each(DIALECTS)("issue 12's warnings and role names through the API and CLI on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("GET /imports/{id} gives back the addresses a warning names; /meta lists the role names", async () => {
    const { admin, context, imports } = await setUpImportApi(getDb());
    await addDomain(context, { domain: "example.net", recipientValidation: "directory-users" });
    const directory = many("d", 52, "example.net");
    await saveUsers(context, {
      users: directory.map((email) => ({ email, name: email, type: "directory" })),
    });
    const upload = xlsUpload([["email", "name"], ...directory.map((email) => [email, null])]);
    const started = await admin.upload("/imports/save", { group: "Staff/London" }, [upload]);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({
      state: "saved",
      warnings: [
        {
          code: "users_become_imported",
          addresses: directory.slice(0, 50),
          moreAddresses: 2,
        },
      ],
    });
    const meta = await admin.call("GET", "/meta");
    expect(meta.json.roles).toEqual(ROLES.map(({ id, name, shortName }) => ({ id, name, shortName })));
    // The API's role assignment takes a short name; an unknown one is 400 role_unknown.
    const given = await admin.call("POST", `/users/${directory[0] ?? ""}/roles`, { role: " helpdesk " });
    expect([given.status, given.json.roles]).toEqual([200, ["Helpdesk Administrator"]]);
    const unknown = await admin.call("POST", `/users/${directory[0] ?? ""}/roles`, { role: "Boss" });
    expect([unknown.status, errorCode(unknown.json)]).toEqual([400, "role_unknown"]);
    // The template lists the accepted names on its second sheet, read from the roles table.
    const template = await admin.download("/imports/template.xls");
    const sheets = readXls(template.bytes, { fileName: "template.xls" }).sheets;
    const names = [...(sheets[1]?.rows() ?? [])].map((r) => r.texts().slice(0, 2));
    for (const role of ROLES) expect(names).toContainEqual([role.name, role.shortName]);
    await imports.close();
  });

  it("the CLI's --json lists the warning's addresses; roles assign takes a short name", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    const dir = mkdtempSync(join(tmpdir(), "mailroster-issue12-"));
    try {
      const cli = cliOn(() => url);
      expect((await cli(...initExampleArgv())).code).toBe(0);
      expect((await cli("groups", "add", "Staff")).code).toBe(0);
      const members = many("m", 3);
      const path = join(dir, "m.xls");
      writeFileSync(path, usersXls([["email", "name"], ...members.map((email) => [email, email])]));
      expect((await cli("import", path, "--group", "Staff", "--save", "--json")).code).toBe(0);
      const empty = join(dir, "e.xls");
      writeFileSync(empty, usersXls([["email", "name"]]));
      const preview = await cli("import", empty, "--group", "Staff", "--override", "overwrite", "--json");
      expect(preview.code).toBe(0);
      const body = JSON.parse(preview.stdout) as ImportOutcome;
      expect(body.warnings.find((w) => w.code === "group_members_removed")).toMatchObject({
        addresses: members,
        moreAddresses: 0,
      });
      const assigned = await cli("roles", "assign", members[0] ?? "", "Gateway");
      expect([assigned.code, assigned.stdout]).toEqual([
        0,
        `${members[0] ?? ""} now holds: Gateway Administrator.\n`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cleanup();
    }
  });

  it("the README lists the role names exactly as the roles table gives them", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = /<!-- role-names:[^>]*-->\s*([\s\S]*?)\s*<!-- \/role-names -->/.exec(readme)?.[1];
    expect(block).toBe(`${ROLE_NAMES_TEXT}.`);
  });
});
