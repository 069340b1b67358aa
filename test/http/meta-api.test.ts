import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { MAX_NOTE_LENGTH } from "../../src/directory/note.js";
import { createApp } from "../../src/http/app.js";
import { IMPORT_STATES, importProgressSchema } from "../../src/http/schemas.js";
import { ImportRunner } from "../../src/jobs/import-runner.js";
import { ApiClient, errorCode as code } from "../support/api-client.js";
import { useTestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "../support/service-context.js";
import type { Meta } from "../../web/api-types.js";

// The server's facts the console reads instead of copying: the same on both databases, so SQLite only.
describe("GET /api/v1/meta", () => {
  const getDb = useTestDatabase("sqlite");

  it("gives a signed-in caller the note limit, the upload limit, the import states and the stage labels", async () => {
    const open = getDb();
    await initExample(makeContext(open));
    const imports = new ImportRunner({ maxFileBytes: 5 * 1024 * 1024 });
    const app = createApp({
      db: open.db,
      hasher: createArgon2Hasher(),
      isCommonPassword,
      now: () => new Date(),
      imports,
    });
    const client = new ApiClient(app);
    expect(code((await client.call("GET", "/meta")).json)).toBe("not_signed_in");
    await client.call("POST", "/auth/sign-in", { email: "admin@example.com", password: ADMIN_PASSWORD });
    const meta = await client.call("GET", "/meta");
    expect(meta.status).toBe(200);
    const facts = meta.json as unknown as Meta;
    expect([facts.noteMaxLength, facts.uploadMaxBytes]).toEqual([MAX_NOTE_LENGTH, 5 * 1024 * 1024]);
    expect(facts.importStates).toEqual([...IMPORT_STATES]);
    expect(facts.runningImportStates).toEqual(["uploaded", "saving"]);
    // Every stage a progress may name has its label.
    expect(facts.importStages.map((s) => s.stage)).toEqual(importProgressSchema.shape.stage.options);
    expect(facts.importStages.find((s) => s.stage === "hashing")?.label).toBe("Hashing passwords");
    await imports.close();
  });
});
