import { describe, expect, it } from "vitest";
import { saveImport } from "../../src/services/imports/run-import.js";
import { requestImportCancel } from "../../src/store/imports-repository.js";
import { usersXls } from "../support/import-files.js";
import { errorCode as code } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { initExample, makeContext } from "../support/service-context.js";
import { setUpImportApi, usersWithPasswords, waitForImport, xlsUpload } from "../support/imports-api.js";

// Cancel while previewing or before the commit (issue 13): the import ends failed with import_cancelled and
// nothing written, whichever server (or door) asked.
describe.each(DIALECTS)("cancelling an import on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("stops a save hashing its passwords, writes nothing, and refuses a second cancel", async () => {
    const { admin, imports } = await setUpImportApi(getDb());
    const started = await admin.upload("/imports/save", { uploadOnly: "true" }, [
      xlsUpload(usersWithPasswords(600)),
    ]);
    const id = String(started.json.importId);
    const cancel = await admin.call("POST", `/imports/${id}/cancel`);
    expect([cancel.status, cancel.json]).toEqual([202, { importId: id }]);
    const { view } = await waitForImport(admin, id);
    expect(view).toMatchObject({ state: "failed", mode: "save", saved: false, cancelRequested: true });
    expect(view.errors).toEqual([expect.objectContaining({ code: "import_cancelled", cell: null })]);
    expect(code((await admin.call("GET", "/users/p0@example.com")).json)).toBe("user_not_found");
    const listed = (await admin.call("GET", "/imports")).json as { items: { cancelRequested: boolean }[] };
    expect(listed.items[0]?.cancelRequested).toBe(true);
    const again = await admin.call("POST", `/imports/${id}/cancel`);
    expect([again.status, code(again.json)]).toEqual([409, "import_not_running"]);
    await imports.close();
  });

  // Several servers share PostgreSQL only: on SQLite the save's transaction holds the one write lock, so
  // another process's cancel waits for it (the server running the import aborts its own at once instead).
  it.runIf(dialect === "postgres")(
    "refuses at the commit a cancel another server recorded, rolling back every slice",
    async () => {
      const context = makeContext(getDb());
      await initExample(context);
      const rows = [["email", "name"]];
      for (let i = 0; i < 1500; i++) rows.push([`u${i}@example.com`, `User ${i}`]);
      let asked = false;
      const outcome = await saveImport(context, {
        fileName: "many.xls",
        bytes: usersXls(rows),
        onRecorded: () => undefined,
        // Another server takes the cancel while this one writes its slices (this one's signal never aborts).
        onProgress: (progress) => {
          if (progress.stage !== "saving" || progress.done === 0 || asked) return;
          asked = true;
          void (async () => {
            const imports = await getDb().db.selectFrom("imports").select("id").execute();
            for (const row of imports)
              await requestImportCancel(getDb().db, row.id, new Date().toISOString());
          })();
        },
      });
      expect(asked).toBe(true);
      expect(outcome).toMatchObject({ ok: false, saved: false });
      expect(outcome.errors).toEqual([expect.objectContaining({ code: "import_cancelled" })]);
      const users = await getDb()
        .db.selectFrom("users")
        .select("email")
        .where("email", "like", "u%@example.com")
        .execute();
      expect(users).toEqual([]);
    },
  );
});
