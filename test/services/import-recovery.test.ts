import { describe, expect, it } from "vitest";
import { failInterruptedImports } from "../../src/services/imports/import-recovery.js";
import { showImport } from "../../src/services/imports/import-queries.js";
import { previewImport } from "../../src/services/imports/run-import.js";
import { listOutbox } from "../../src/services/outbox-service.js";
import { updateImport } from "../../src/store/imports-repository.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";
import { initExample, makeContext } from "../support/service-context.js";

describe.each(DIALECTS)("interrupted imports on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("marks imports a stopped server left uploaded or saving failed, mails the importer, leaves the rest", async () => {
    const system = makeContext(getDb());
    await initExample(system);
    const admin = makeContext(getDb(), { kind: "user", email: "admin@example.com" });
    const file = usersXls([
      ["email", "name"],
      ["amy@example.com", "Amy"],
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await previewImport(admin, { fileName: `f${i}.xls`, bytes: file });
      ids.push(outcome.importId ?? "");
    }
    const [saving = "", uploaded = "", validated = ""] = ids;
    // What a process stopped mid-way leaves behind.
    await updateImport(system.db, saving, { state: "saving" });
    await updateImport(system.db, uploaded, { state: "uploaded" });

    expect(await failInterruptedImports(system)).toBe(2);
    expect(await failInterruptedImports(system)).toBe(0);
    for (const id of [saving, uploaded]) {
      const view = await showImport(system, id);
      expect(view.state).toBe("failed");
      expect(view.errors.map((e) => e.code)).toEqual(["import_interrupted"]);
    }
    expect((await showImport(system, validated)).state).toBe("validated");
    const mail = await listOutbox(system);
    expect(mail.map((m) => [m.to, m.subject]).sort()).toEqual([
      ["admin@example.com", "Import failed: f0.xls"],
      ["admin@example.com", "Import failed: f1.xls"],
    ]);
  });
});
