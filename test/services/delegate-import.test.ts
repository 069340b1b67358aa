import { describe, expect, it } from "vitest";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import { listAudit } from "../../src/services/audit-service.js";
import type { ServiceContext } from "../../src/services/context.js";
import {
  previewDelegateImport,
  saveDelegateImport,
} from "../../src/services/delegates/run-delegate-import.js";
import { listDelegates, showUserDelegates } from "../../src/services/delegates/list-delegates.js";
import { listImportHistory } from "../../src/services/imports/import-history.js";
import { showImport } from "../../src/services/imports/import-queries.js";
import { listOutbox } from "../../src/services/outbox-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createUser } from "../../src/services/users/create-user.js";
import { getUser } from "../../src/services/users/find-users.js";
import { setAliases } from "../../src/services/users/update-user.js";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { errorCells, usersXls } from "../support/import-files.js";
import { initExample, makeContext } from "../support/service-context.js";

/** The example account: another account exists, so each request names it. */
const IN = { account: "CxAy" };
const delegatesXls = (rows: XlsValue[][]): Uint8Array =>
  usersXls([["primary", "delegate", "action"], ...rows], "Delegates");
/** The request to import a file into the example account: its bytes, or the delegate rows to write in it. */
const delegateRequest = (
  fileName: string,
  file: Uint8Array | XlsValue[][],
  more: { note?: string } = {},
) => ({ ...IN, fileName, bytes: file instanceof Uint8Array ? file : delegatesXls(file), ...more });

describe.each(DIALECTS)("delegate import on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  /** ann, bob (alias bobby@example.org) and cat in CxAy; eve in another account; admin imports. */
  async function setUp(): Promise<ServiceContext> {
    const system = makeContext(getDb());
    await initExample(system);
    for (const [email, name] of [
      ["ann@example.com", "Ann"],
      ["bob@example.com", "Bob"],
      ["cat@example.com", "Cat"],
    ] as const) {
      await createUser(system, { ...IN, email, name });
    }
    await setAliases(system, "bob@example.com", ["bobby@example.org"]);
    await createAccount(system, { name: "Other", code: "other1" });
    await addDomain(system, { domain: "other.test", account: "other1" });
    await createUser(system, { email: "eve@other.test", name: "Eve", account: "other1" });
    return makeContext(getDb(), { kind: "user", email: "admin@example.com" });
  }

  const pairs = async (context: ServiceContext): Promise<[string, string][]> =>
    (await listDelegates(context, { ...IN, page: 1, pageSize: 50 })).items.map((p) => [
      p.primary,
      p.delegate,
    ]);

  it("previews without writing, saves with audit and note, then a re-import changes nothing", async () => {
    const context = await setUp();
    const file = delegatesXls([
      ["ann@example.com", "bobby@example.org", ""],
      ["ann@example.com", "cat@example.com", "add"],
      ["cat@example.com", "ann@example.com", "remove"],
    ]);
    const preview = await previewDelegateImport(context, delegateRequest("d.xls", file));
    expect(preview).toMatchObject({
      ok: true,
      saved: false,
      sheet: "Delegates",
      checkpoint: "A1",
      summary: { rows: 3, add: 2, remove: 0, unchanged: 1 },
      errors: [],
    });
    expect(await pairs(context)).toEqual([]);
    expect(await showImport(context, preview.importId ?? "")).toMatchObject({
      kind: "delegates",
      state: "validated",
      summary: { add: 2, create: 0 },
    });

    const saved = await saveDelegateImport(context, delegateRequest("d.xls", file, { note: "Ticket 42" }));
    expect(saved).toMatchObject({ ok: true, saved: true, summary: { add: 2, remove: 0, unchanged: 1 } });
    expect(await pairs(context)).toEqual([
      ["ann@example.com", "bob@example.com"],
      ["ann@example.com", "cat@example.com"],
    ]);
    const actions = (await listAudit(context, {})).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("delegate."))).toEqual(["delegate.add", "delegate.add"]);
    expect((await getUser(context, "ann@example.com")).notes.map((n) => n.text)).toEqual(["Ticket 42"]);
    expect(await showUserDelegates(context, "bobby@example.org", { page: 1, pageSize: 10 })).toMatchObject({
      email: "bob@example.com",
      mayOpen: { items: [], total: 0 },
      openedBy: { items: ["ann@example.com"], total: 1 },
    });

    const again = await saveDelegateImport(context, delegateRequest("d.xls", file, { note: "Ticket 42" }));
    expect(again.summary).toEqual({ rows: 3, add: 0, remove: 0, unchanged: 3 });
    expect((await getUser(context, "ann@example.com")).notes).toHaveLength(1);
    const history = await listImportHistory(context, { ...IN, page: 1, pageSize: 10 });
    expect(history.items.map((i) => [i.kind, i.state])).toEqual([
      ["delegates", "saved"],
      ["delegates", "saved"],
      ["delegates", "validated"],
    ]);
  });

  it("removes a stored pair; removing a missing one is unchanged", async () => {
    const context = await setUp();
    await saveDelegateImport(
      context,
      delegateRequest("add.xls", [["ann@example.com", "bob@example.com", ""]]),
    );
    const removed = await saveDelegateImport(
      context,
      delegateRequest("remove.xls", [
        ["ann@example.com", "bob@example.com", "Remove"],
        ["bob@example.com", "ann@example.com", "remove"],
      ]),
    );
    expect(removed).toMatchObject({
      ok: true,
      saved: true,
      summary: { rows: 2, add: 0, remove: 1, unchanged: 1 },
    });
    expect(await pairs(context)).toEqual([]);
    expect((await listAudit(context, {})).map((e) => e.action)).toContain("delegate.remove");
  });

  it("is all or nothing: one bad row saves nothing and mails the importer, naming the cell", async () => {
    const context = await setUp();
    const auditBefore = (await listAudit(context, {})).length;
    const result = await saveDelegateImport(
      context,
      delegateRequest("bad.xls", [
        ["ann@example.com", "bob@example.com", ""],
        ["cat@example.com", "eve@other.test", ""],
        ["nobody@example.com", "ann@example.com", ""],
        ["bob@example.com", "bobby@example.org", ""],
        ["ANN@example.com", "bobby@example.org", ""],
        ["cat@example.com", "ann@example.com", "revoke"],
      ]),
    );
    expect(result).toMatchObject({ ok: false, saved: false });
    expect(errorCells(result)).toEqual([
      ["delegate_action_invalid", "C7"],
      ["delegate_user_not_found", "B3"],
      ["delegate_user_not_found", "A4"],
      ["delegate_self", "B5"],
      ["delegate_duplicate", "B6"],
    ]);
    expect(await pairs(context)).toEqual([]);
    expect((await listAudit(context, {})).length).toBe(auditBefore);
    expect((await showImport(context, result.importId ?? "")).state).toBe("failed");
    const [mail] = await listOutbox(context);
    expect(mail?.body).toContain("B3");
  });

  it("refuses a Basic Administrator, for a preview as for a save", async () => {
    await setUp();
    const system = makeContext(getDb());
    await createUser(system, { ...IN, email: "basic@example.com", name: "Basic" });
    await assignRole(system, { email: "basic@example.com", role: "Basic Administrator" });
    const basic = makeContext(getDb(), { kind: "user", email: "basic@example.com" });
    const bytes = delegatesXls([["ann@example.com", "bob@example.com", ""]]);
    for (const run of [previewDelegateImport, saveDelegateImport]) {
      await expect(run(basic, delegateRequest("d.xls", bytes))).rejects.toMatchObject({
        code: "permission_denied",
      });
    }
  });

  it("records a user sheet given as a delegate sheet as failed: no checkpoint", async () => {
    const context = await setUp();
    const result = await previewDelegateImport(
      context,
      delegateRequest(
        "users.xls",
        usersXls([
          ["email", "name"],
          ["x@example.com", "X"],
        ]),
      ),
    );
    expect(errorCells(result)).toEqual([["checkpoint_not_found", null]]);
  });
});
