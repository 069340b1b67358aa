import { describe, expect, it } from "vitest";
import { errorCode as code } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { setUpImportApi, waitForImport, xlsUpload } from "../support/imports-api.js";

const SHEET = [
  ["email", "name", "alias1"],
  ["amy@example.com", "Amy", "amy.alias@example.com"],
  ["bob@example.com", "Bob", ""],
];

// Save the previewed upload (issue 13): the file a clean preview checked is kept on the server, and saving it
// sends nothing again; a directory that changed in between makes the save refuse, writing nothing.
describe.each(DIALECTS)("saving a previewed upload over the API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("saves the clean preview's file without a second upload", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true", note: "Wave 1" }, [
      xlsUpload(SHEET),
    ]);
    expect(preview.json).toMatchObject({ ok: true, summary: { create: 2 } });
    const started = await admin.call("POST", `/imports/${String(preview.json.importId)}/save`);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({ state: "saved", mode: "save", note: "Wave 1", summary: { create: 2 } });
    expect(view.importId).not.toBe(preview.json.importId);
    expect((await admin.call("GET", "/users/amy@example.com")).status).toBe(200);
    expect((await admin.call("GET", "/users/amy.alias@example.com")).json.email).toBe("amy@example.com");
    await imports.close();
  });

  it("refuses, writing nothing, when the directory changed since the preview", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const preview = await admin.upload("/imports/preview", { uploadOnly: "true" }, [xlsUpload(SHEET)]);
    expect(preview.json).toMatchObject({ ok: true, summary: { create: 2, update: 0 } });
    // Somebody adds Bob by hand in between: the save would now update him, not create him.
    expect((await admin.call("POST", "/users", { email: "bob@example.com", name: "Bob" })).status).toBe(201);
    const started = await admin.call("POST", `/imports/${String(preview.json.importId)}/save`);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({ state: "failed", saved: false });
    expect(view.errors).toEqual([
      expect.objectContaining({ code: "import_changed_since_preview", cell: null }),
    ]);
    expect(code((await admin.call("GET", "/users/amy@example.com")).json)).toBe("user_not_found");
    await imports.close();
  });

  it("saves only a clean preview of a user import", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const failed = await admin.upload("/imports/preview", { uploadOnly: "true" }, [
      xlsUpload([
        ["email", "name", "pop"],
        ["amy@example.com", "Amy", "perhaps"],
      ]),
    ]);
    expect(failed.json.ok).toBe(false);
    const refused = await admin.call("POST", `/imports/${String(failed.json.importId)}/save`);
    expect([refused.status, code(refused.json)]).toEqual([409, "import_not_previewed"]);
    // A save is not a preview either: saving it again would import twice.
    const saved = await admin.upload("/imports/save", { uploadOnly: "true" }, [xlsUpload(SHEET)]);
    await waitForImport(admin, String(saved.json.importId));
    const again = await admin.call("POST", `/imports/${String(saved.json.importId)}/save`);
    expect([again.status, code(again.json)]).toEqual([409, "import_not_previewed"]);
    const missing = await admin.call("POST", "/imports/0190f0f0-0000-7000-8000-000000000000/save");
    expect([missing.status, code(missing.json)]).toEqual([404, "import_not_found"]);
    await imports.close();
  });
});
