import { describe, expect, it } from "vitest";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { errorCode as code } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { foreignDomainXls, MAX_XLS_DATA_ROWS } from "../support/import-files.js";
import { setUpImportApi, usersWithPasswords, waitForImport, xlsUpload } from "../support/imports-api.js";

// The import API's background jobs: saves and previews answered 202, then watched by id until they settle.
describe.each(DIALECTS)("import API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("runs a failing save in the background too: recorded failed with its cells, nothing written", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [
      xlsUpload([
        ["email", "name"],
        ["new@example.com", "New"],
        ["new@example.com", "Again"],
      ]),
    ]);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    // A failed save is told apart from a failed preview in the history.
    expect(view).toMatchObject({ state: "failed", mode: "save", saved: false, ok: false });
    expect(view.errors).toEqual([expect.objectContaining({ code: "email_duplicate", cell: "A3" })]);
    expect(code((await admin.call("GET", "/users/new@example.com")).json)).toBe("user_not_found");
    await imports.close();
  });

  it("shows a save with passwords while it runs, with its progress, in the show and the list", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const rows = usersWithPasswords(24);
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [xlsUpload(rows)]);
    const id = String(started.json.importId);
    const listed = await admin.call("GET", "/imports");
    expect((listed.json.items as { importId: string }[])[0]?.importId).toBe(id);
    // argon2id on 24 passwords takes long enough to be seen hashing.
    let progress: unknown = null;
    for (let i = 0; i < 400 && progress === null; i++) {
      const { json } = await admin.call("GET", `/imports/${id}`);
      if (json.state === "saved") break;
      progress = json.progress;
    }
    expect(progress).toMatchObject({ stage: expect.any(String) as unknown });
    const { view } = await waitForImport(admin, id);
    expect(view).toMatchObject({ state: "saved", summary: { create: 24 } });
    expect((await admin.call("GET", "/users/p7@example.com")).json.hasPassword).toBe(true);
    await imports.close();
  });

  it("previews in the background too: 202, then the Spreadsheet Information of the import by its id", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const rows = usersWithPasswords(12);
    const saved = await admin.upload("/imports/save", { uploadOnly: "true" }, [xlsUpload(rows)]);
    expect((await waitForImport(admin, String(saved.json.importId))).view.state).toBe("saved");

    // The same file again: a password cell always sets the password (never verified: no oracle, issue 10).
    const started = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [xlsUpload(rows)]);
    expect([started.status, started.json.state]).toEqual([202, "uploaded"]);
    const again = await waitForImport(admin, String(started.json.importId));
    expect(again.view).toMatchObject({
      state: "validated",
      mode: "preview",
      ok: true,
      saved: false,
      summary: { rows: 12, create: 0, update: 12, unchanged: 0 },
      errors: [],
    });

    const bad = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [
      xlsUpload([
        ["email", "name", "pop"],
        ["amy@example.com", "Amy", "perhaps"],
      ]),
    ]);
    const failed = await waitForImport(admin, String(bad.json.importId));
    expect(failed.view).toMatchObject({ state: "failed", mode: "preview", ok: false });
    expect(failed.view.errors).toEqual([expect.objectContaining({ code: "yes_no_invalid", cell: "C2" })]);
    await imports.close();
  });

  it("keeps answering while a save writes: its progress is seen at the saving stage", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const rows: XlsValue[][] = [["email", "name", "alias1", "department"]];
    for (let i = 0; i < 4000; i++) rows.push([`u${i}@example.com`, `U ${i}`, `u${i}.a@example.org`, "Sales"]);
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [xlsUpload(rows)]);
    const id = String(started.json.importId);
    // The write runs in slices; between them the server answers (on SQLite too, whose calls are synchronous).
    const stages = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const { json } = await admin.call("GET", `/imports/${id}`);
      const progress = json.progress as { stage: string; done: number } | null;
      if (json.state === "saving" && progress?.stage === "saving" && progress.done > 0) stages.add("saving");
      if (json.state !== "uploaded" && json.state !== "saving") break;
      // A client's pause between polls (in process, with SQLite, nothing else would ever wait).
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect([...stages]).toEqual(["saving"]);
    expect((await waitForImport(admin, id)).view).toMatchObject({
      state: "saved",
      summary: { create: 4000 },
    });
    await imports.close();
  });

  it("settles a background preview of 65,535 rows in a foreign domain as failed, never stuck", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const started = await admin.upload("/imports/preview/start", { uploadOnly: "true" }, [
      { name: "foreign.xls", bytes: foreignDomainXls() },
    ]);
    expect(started.status).toBe(202);
    const { view } = await waitForImport(admin, String(started.json.importId));
    expect(view).toMatchObject({
      state: "failed",
      errorCount: MAX_XLS_DATA_ROWS,
      errorCounts: { domain_not_internal: MAX_XLS_DATA_ROWS },
      truncated: true,
    });
    expect(view.errors).toHaveLength(1000);
    const page = (await admin.call("GET", "/imports")).json as { items: Record<string, unknown>[] };
    expect(page.items[0]).toMatchObject({ state: "failed", errorCount: MAX_XLS_DATA_ROWS });
    await imports.close();
  });
});
