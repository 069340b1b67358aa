import { describe, expect, it } from "vitest";
import { createUser } from "../../src/services/users/create-user.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { errorCode, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";
import { setUpImportApi, waitForImport } from "../support/imports-api.js";

const upload = (rows: XlsValue[][]) => [
  { name: "delegates.xls", bytes: usersXls([["primary", "delegate", "action"], ...rows], "Delegates") },
];
const HELEN_PASSWORD = "Tidal-Lantern-7";

describe.each(DIALECTS)("delegates API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  async function setUp() {
    const api = await setUpImportApi(getDb());
    for (const [email, name] of [
      ["ann@example.com", "Ann"],
      ["bob@example.com", "Bob"],
      ["cat@example.com", "Cat"],
    ] as const) {
      await createUser(api.context, { email, name });
    }
    return api;
  }

  it("previews, saves in the background (polled as an import), lists, exports and shows both directions", async () => {
    const { app, admin } = await setUp();
    const rows = upload([
      ["ann@example.com", "bob@example.com", ""],
      ["ann@example.com", "cat@example.com", ""],
      ["bob@example.com", "ann@example.com", ""],
    ]);
    const preview = await admin.upload("/delegates/import/preview", {}, rows);
    expect(preview.status).toBe(200);
    expect(preview.json).toMatchObject({
      ok: true,
      saved: false,
      checkpoint: "A1",
      summary: { rows: 3, add: 3, remove: 0, unchanged: 0 },
    });

    const started = await admin.upload("/delegates/import/save", { note: "Ticket 7" }, rows);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({ kind: "delegates", state: "saved", summary: { add: 3, create: 0 } });

    const history = await admin.call("GET", "/imports");
    expect((history.json.items as { kind: string }[]).map((i) => i.kind)).toEqual(["delegates", "delegates"]);

    const page = await admin.call("GET", "/delegates?pageSize=2");
    expect(page.json).toMatchObject({
      total: 3,
      items: [
        { primary: "ann@example.com", delegate: "bob@example.com" },
        { primary: "ann@example.com", delegate: "cat@example.com" },
      ],
    });
    const search = await admin.call("GET", "/delegates?q=CAT");
    expect(search.json).toMatchObject({ total: 1, items: [{ delegate: "cat@example.com" }] });
    const filtered = await admin.call("GET", "/delegates?primary=bob@example.com");
    expect(filtered.json).toMatchObject({ total: 1, items: [{ primary: "bob@example.com" }] });

    const both = await admin.call("GET", "/users/ann@example.com/delegates");
    expect(both.json).toEqual({
      email: "ann@example.com",
      mayOpen: { items: ["bob@example.com", "cat@example.com"], total: 2 },
      openedBy: { items: ["bob@example.com"], total: 1 },
      page: 1,
      pageSize: 50,
    });

    const exported = await admin.download("/delegates/export.xls");
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toContain("delegates.xls");
    const [sheet] = readXls(exported.bytes, { fileName: "delegates.xls" }).sheets;
    expect(sheet?.cell(0, 0)?.text).toBe("primary");
    expect(sheet?.cell(3, 1)?.text).toBe("ann@example.com");
    const again = await admin.upload("/delegates/import/preview", {}, [
      { name: "delegates.xls", bytes: exported.bytes },
    ]);
    expect(again.json).toMatchObject({ ok: true, summary: { rows: 3, unchanged: 3 } });

    const template = await admin.download("/delegates/template.xls");
    expect(template.status).toBe(200);

    const doc = await app.request("/api/v1/openapi.json");
    const paths = Object.keys(((await doc.json()) as { paths: object }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/api/v1/delegates",
        "/api/v1/delegates/import/save",
        "/api/v1/users/{address}/delegates",
      ]),
    );
  });

  it("reports errors at their cells and refuses a Basic Administrator (403)", async () => {
    const { app, admin, context } = await setUp();
    const bad = await admin.upload(
      "/delegates/import/preview",
      {},
      upload([["ann@example.com", "ann@example.com", "x"]]),
    );
    expect(bad.json).toMatchObject({
      ok: false,
      errors: [
        { code: "delegate_action_invalid", cell: "C2" },
        { code: "delegate_self", cell: "B2" },
      ],
    });
    await createUser(context, { email: "helen@example.com", name: "Helen", password: HELEN_PASSWORD });
    await assignRole(context, { email: "helen@example.com", role: "Basic Administrator" });
    const helen = await signInClient(app, "helen@example.com", HELEN_PASSWORD);
    const refused = await helen.upload(
      "/delegates/import/save",
      {},
      upload([["ann@example.com", "bob@example.com", ""]]),
    );
    expect(refused.status).toBe(403);
    expect(errorCode(refused.json)).toBe("permission_denied");
    // Reading the list is part of managing users, which a Basic Administrator does.
    expect((await helen.call("GET", "/delegates")).status).toBe(200);
  });
});
