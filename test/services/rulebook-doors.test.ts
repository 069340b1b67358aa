import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { findRole, type RoleId } from "../../src/directory/roles.js";
import { checkUserChange } from "../../src/directory/user-change-rules.js";
import { createApp } from "../../src/http/app.js";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import type { ServiceContext } from "../../src/services/context.js";
import type { ImportOutcome } from "../../src/services/imports/import-states.js";
import { previewImport, saveImport } from "../../src/services/imports/run-import.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { getUser } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { ApiClient, errorCode, signInClient } from "../support/api-client.js";
import { cliOn, initExampleArgv } from "../support/cli.js";
import { createCliDatabaseUrl, DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { errorCells, usersXls } from "../support/import-files.js";
import { ADMIN_PASSWORD, exampleWithStaff, makeContext } from "../support/service-context.js";

const PASSWORD = "Quiet-Meadow-58";
const NEW_PASSWORD = "Amber-Lantern-91";

/**
 * CxAy (a master account, example.com) with one administrator per role, a mail user, and the nested
 * mail-processing account mp1 (example.net).
 */
async function setUp(open: TestDatabase) {
  const { system } = await exampleWithStaff(open);
  await createAccount(system, { name: "Processing", code: "mp1", parent: "CxAy", kind: "mail-processing" });
  await addDomain(system, { domain: "example.net", account: "mp1" });
  await saveUsers(system, {
    users: [
      { email: "mail@example.com", name: "Mail User", password: PASSWORD },
      { email: "other@example.net", name: "Processed User" },
    ],
  });
  return { system, app: createApp(makeDeps(open)) };
}

function makeDeps(open: TestDatabase) {
  return {
    db: open.db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now: () => new Date(),
    signInLimiter: new RateLimiter(1000, 60_000, () => new Date()),
  };
}

/** A user holding these roles (in CxAy), with a known password. */
async function administrator(system: ServiceContext, email: string, roles: readonly RoleId[]): Promise<void> {
  await saveUsers(system, { users: [{ email, name: email, password: PASSWORD }] });
  for (const role of roles) await assignRole(system, { email, role });
}

function signedIn(app: ReturnType<typeof createApp>, email: string): Promise<ApiClient> {
  return signInClient(app, email, PASSWORD);
}

describe.each(DIALECTS)("one rulebook at every door on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("a Helpdesk Administrator cannot reset a Master Administrator's password (the take-over)", async () => {
    const { system, app } = await setUp(getDb());
    await administrator(system, "master@example.com", ["master_administrator"]);
    await administrator(system, "help@example.com", ["helpdesk_administrator"]);
    const help = await signedIn(app, "help@example.com");
    const reset = await help.call("POST", "/users/master@example.com/password", { password: NEW_PASSWORD });
    expect([reset.status, errorCode(reset.json)]).toEqual([403, "protected_role_required"]);
    // The password still works, and nothing else of theirs may change either.
    await signedIn(app, "master@example.com");
    const edit = await help.call("PATCH", "/users/master@example.com", { locked: true });
    expect([edit.status, errorCode(edit.json)]).toEqual([403, "protected_role_required"]);
    // A mail user's password, they may reset.
    const ok = await help.call("POST", "/users/mail@example.com/password", { password: NEW_PASSWORD });
    expect(ok.status).toBe(200);
  });

  it("a Basic Administrator's import may not set changepassword on a Full Administrator", async () => {
    const { system } = await setUp(getDb());
    await administrator(system, "full@example.com", ["full_administrator"]);
    await administrator(system, "basic@example.com", ["basic_administrator"]);
    const basic = makeContext(getDb(), { kind: "user", email: "basic@example.com" });
    const file = usersXls([
      ["email", "name", "changepassword", "pop"],
      ["full@example.com", null, "yes", null],
      ["mail@example.com", null, "yes", "yes"],
    ]);
    const outcome = await previewImport(basic, { fileName: "c.xls", bytes: file, group: "Staff" });
    expect(errorCells(outcome)).toEqual([["protected_role_required", "C2"]]);
    // A row that changes nothing of theirs is no change at all.
    const same = usersXls([
      ["email", "name", "changepassword"],
      ["full@example.com", null, "no"],
    ]);
    const unchanged = await previewImport(basic, { fileName: "s.xls", bytes: same, group: "Staff" });
    expect([unchanged.ok, unchanged.summary.unchanged]).toEqual([true, 1]);
  });

  it("an import's adminrole cannot give Master Administrator to a user of a mail-processing account", async () => {
    const { system } = await setUp(getDb());
    await assignRole(system, { email: "admin@example.com", role: "Master Administrator" });
    const master = makeContext(getDb(), { kind: "user", email: "admin@example.com" });
    const file = usersXls([
      ["email", "name", "remoteaccountcode", "adminrole"],
      ["new@example.net", "New", "mp1", "Master Administrator"],
      ["fine@example.net", "Fine", "mp1", "Basic Administrator"],
    ]);
    const outcome = await previewImport(master, { fileName: "r.xls", bytes: file, group: "Staff" });
    expect(errorCells(outcome)).toEqual([["role_not_available", "D2"]]);
    // The roles door refuses the same.
    await expect(
      assignRole(master, { email: "other@example.net", role: "Master Administrator" }),
    ).rejects.toMatchObject({ code: "role_not_available" });
  });

  it("an import stores no attribute value over 1,000 characters, and no password-like column", async () => {
    const { system, app } = await setUp(getDb());
    const admin = makeContext(getDb(), { kind: "user", email: "admin@example.com" });
    const long = "x".repeat(1001);
    const file = usersXls([
      ["email", "name", "Department", "Notes"],
      ["a@example.com", "A", "Sales", long],
      ["b@example.com", "B", "x".repeat(1000), null],
    ]);
    const outcome = await previewImport(admin, { fileName: "a.xls", bytes: file, group: "Staff" });
    expect(errorCells(outcome)).toEqual([["attribute_value_too_long", "D2"]]);
    for (const header of ["initial password", "Initial_PWD"]) {
      const secret = usersXls([
        ["email", "name", header],
        ["a@example.com", "A", "Sunny-Day-12"],
      ]);
      const refused = await previewImport(admin, { fileName: "p.xls", bytes: secret, group: "Staff" });
      expect(errorCells(refused)).toEqual([["attribute_looks_secret", "C1"]]);
    }
    // The API (the console's door) and the service refuse the same.
    const api = new ApiClient(app);
    await api.call("POST", "/auth/sign-in", { email: "admin@example.com", password: ADMIN_PASSWORD });
    const tooLong = await api.call("PATCH", "/users/mail@example.com", { attributes: { Notes: long } });
    expect([tooLong.status, errorCode(tooLong.json)]).toEqual([422, "attribute_value_too_long"]);
    const emoji = await api.call("PATCH", "/users/mail@example.com", {
      attributes: { Notes: "😀".repeat(1000) },
    });
    expect(emoji.status).toBe(200);
    const secret = await api.call("PATCH", "/users/mail@example.com", {
      attributes: { "Initial Password": "x" },
    });
    expect([secret.status, errorCode(secret.json)]).toEqual([422, "attribute_looks_secret"]);
    await expect(
      saveUsers(system, { users: [{ email: "mail@example.com", attributes: { Notes: long } }] }),
    ).rejects.toMatchObject({ code: "attribute_value_too_long" });
    await expect(
      saveUsers(system, { users: [{ email: "mail@example.com", attributes: { "Initial Password": "x" } }] }),
    ).rejects.toMatchObject({ code: "attribute_looks_secret" });
  });

  it("a preview does not tell whether a guessed password is the user's current one", async () => {
    await setUp(getDb());
    const admin = makeContext(getDb(), { kind: "user", email: "admin@example.com" });
    const guess = (password: string) =>
      previewImport(admin, {
        fileName: "g.xls",
        bytes: usersXls([
          ["email", "name", "password"],
          ["mail@example.com", null, password],
        ]),
        group: "Staff",
      });
    const right = await guess(PASSWORD);
    const wrong = await guess("Some-Other-Guess-33");
    expect(right.summary).toEqual(wrong.summary);
    expect(right.summary.update).toBe(1);
  });

  it("an import that sets an administrator's password ends their sessions, as the console's reset does", async () => {
    const { system, app } = await setUp(getDb());
    await administrator(system, "basic@example.com", ["basic_administrator"]);
    const basic = await signedIn(app, "basic@example.com");
    expect((await basic.call("GET", "/users")).status).toBe(200);
    const admin = makeContext(getDb(), { kind: "user", email: "admin@example.com" });
    const file = usersXls([
      ["email", "name", "password"],
      ["basic@example.com", null, NEW_PASSWORD],
    ]);
    expect((await saveImport(admin, { fileName: "r.xls", bytes: file, group: "Staff" })).saved).toBe(true);
    const after = await basic.call("GET", "/users");
    expect([after.status, errorCode(after.json)]).toEqual([401, "not_signed_in"]);
  });

  it("a user holds at most ten aliases through the API", async () => {
    const { system } = await setUp(getDb());
    const aliases = Array.from({ length: 11 }, (_, i) => `m${i}@example.com`);
    await expect(
      saveUsers(system, { users: [{ email: "mail@example.com", aliases }] }),
    ).rejects.toMatchObject({ code: "alias_limit_exceeded" });
    await saveUsers(system, { users: [{ email: "mail@example.com", aliases: aliases.slice(0, 10) }] });
    expect((await getUser(system, "mail@example.com")).aliases).toHaveLength(10);
  });
});

// A seeded generator: the same cases every run, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const ROLE_IDS: readonly RoleId[] = [
  "super_administrator",
  "full_administrator",
  "basic_administrator",
  "helpdesk_administrator",
  "gateway_administrator",
  "master_administrator",
  "migration_administrator",
];

describe.each(DIALECTS)("no door allows what the rulebook refuses on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("random actors, targets and changes through the API, the import and role assignment", async () => {
    const { system, app } = await setUp(getDb());
    const next = random(dialect === "sqlite" ? 10 : 11);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    // One administrator per role, each a possible actor and target; sessions signed in once.
    const clients = new Map<RoleId, ApiClient>();
    for (const role of ROLE_IDS) {
      await administrator(system, `${role}@example.com`, [role]);
      clients.set(role, await signedIn(app, `${role}@example.com`));
    }
    const targets = [...ROLE_IDS.map((r) => [r] as RoleId[]), [] as RoleId[]];
    const emailOf = (roles: readonly RoleId[]): string =>
      roles[0] === undefined ? "mail@example.com" : `${roles[0]}@example.com`;
    let refusedSomewhere = 0;
    for (let i = 0; i < 40; i++) {
      const actorRole = pick(ROLE_IDS);
      const targetRoles = pick(targets);
      const target = emailOf(targetRoles);
      if (target === `${actorRole}@example.com`) continue;
      // Not accountlockedout: a lock ends the target's sessions, and the targets are the actors too.
      const change = pick(["pop", "passwordneverexpire", "name", "role"] as const);
      const grant = pick(ROLE_IDS);
      const expected = checkUserChange(
        { roles: [actorRole] },
        { roles: targetRoles, accountKind: "master" },
        change === "role"
          ? { fields: ["adminrole"], grantRoles: [grant] }
          : { fields: [change === "name" ? "name" : change] },
      );
      const may = (permission: "manage_users" | "import_users" | "manage_roles"): boolean =>
        findRole(actorRole).permissions.has(permission);
      const client = clients.get(actorRole) as ApiClient;
      const label = `${actorRole} -> ${target}: ${change}${change === "role" ? ` ${grant}` : ""}`;
      if (change === "role") {
        const response = await client.call("POST", `/users/${target}/roles`, { role: findRole(grant).name });
        const allowed = may("manage_roles") && expected.length === 0;
        expect(response.status < 300, `${label} ${JSON.stringify(response.json)}`).toBe(allowed);
        if (!allowed && may("manage_roles")) expect(errorCode(response.json), label).toBe(expected[0]?.code);
        if (!allowed) refusedSomewhere++;
        continue;
      }
      const body =
        change === "name"
          ? { name: `Renamed ${i}` }
          : change === "pop"
            ? { pop: true }
            : { passwordNeverExpires: true };
      const current = await getUser(system, target);
      const changes = change === "name" || (change === "pop" ? !current.pop : !current.passwordNeverExpires);
      const api = await client.call("PATCH", `/users/${target}`, body);
      const apiAllowed = may("manage_users") && (!changes || expected.length === 0);
      expect(api.status < 300, `API ${label}`).toBe(apiAllowed);
      if (!apiAllowed && may("manage_users")) expect(errorCode(api.json), label).toBe(expected[0]?.code);
      const header = change === "name" ? "name" : change;
      const value = change === "name" ? `Imported ${i}` : "yes";
      const actor = makeContext(getDb(), { kind: "user", email: `${actorRole}@example.com` });
      const file = usersXls([
        ["email", "name", ...(header === "name" ? [] : [header])],
        [target, header === "name" ? value : null, ...(header === "name" ? [] : [value])],
      ]);
      const current2 = await getUser(system, target);
      const importChanges =
        change === "name" || (change === "pop" ? !current2.pop : !current2.passwordNeverExpires);
      if (!may("import_users")) {
        await expect(previewImport(actor, { fileName: "f.xls", bytes: file })).rejects.toMatchObject({
          code: "permission_denied",
        });
        continue;
      }
      const outcome = await previewImport(actor, { fileName: "f.xls", bytes: file });
      const importAllowed = !importChanges || expected.length === 0;
      expect(outcome.ok, `import ${label}`).toBe(importAllowed);
      if (!importAllowed) {
        expect(
          outcome.errors.map((e) => e.code),
          label,
        ).toEqual([expected[0]?.code]);
        refusedSomewhere++;
      }
    }
    // The generator must reach refusals, or the test proves nothing.
    expect(refusedSomewhere).toBeGreaterThan(0);
  });
});

describe.each(DIALECTS)("the CLI's import door on %s", (dialect) => {
  it("refuses a Basic Administrator's import that forces a Super Administrator to change password", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    const dir = mkdtempSync(join(tmpdir(), "mailroster-rulebook-"));
    try {
      const cli = cliOn(() => url);
      const init = await cli(...initExampleArgv(PASSWORD));
      expect(init.code).toBe(0);
      expect((await cli("groups", "add", "Staff")).code).toBe(0);
      expect((await cli("users", "add", "basic@example.com", "--name", "Basic")).code).toBe(0);
      expect((await cli("roles", "assign", "basic@example.com", "Basic Administrator")).code).toBe(0);
      const path = join(dir, "c.xls");
      writeFileSync(
        path,
        usersXls([
          ["email", "name", "changepassword"],
          ["admin@example.com", null, "yes"],
        ]),
      );
      const refused = await cli("import", path, "--as", "basic@example.com", "--group", "Staff", "--json");
      expect(refused.code).toBe(1);
      const outcome = JSON.parse(refused.stdout) as ImportOutcome;
      expect(errorCells(outcome)).toEqual([["protected_role_required", "C2"]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await cleanup();
    }
  });
});
