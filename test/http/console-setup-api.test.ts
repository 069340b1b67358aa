import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { MAX_NOTE_LENGTH } from "../../src/directory/note.js";
import { createApp } from "../../src/http/app.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import type { Meta, PasswordRules } from "../../web/api-types.js";
import { errorCode, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "../support/service-context.js";

// The routes the console's setup pages lean on (issue 13): a domain's recipient validation changed, the
// password rules in words (also before a forced change), the note limit said once.
async function setUp(open: TestDatabase) {
  const system = makeContext(open);
  await initExample(system);
  await saveUsers(system, {
    users: [
      { email: "newadmin@example.com", name: "New", password: "Tidal-Lantern-7", forceChangePassword: true },
    ],
  });
  await assignRole(system, { email: "newadmin@example.com", role: "Super Administrator" });
  return createApp({ db: open.db, hasher: createArgon2Hasher(), isCommonPassword, now: () => new Date() });
}

describe.each(DIALECTS)("console setup routes (%s)", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("changes a domain's recipient validation, and refuses an unknown domain by code", async () => {
    const admin = await signInClient(await setUp(getDb()), "admin@example.com", ADMIN_PASSWORD);
    const changed = await admin.call("PATCH", "/domains/example.org", { recipientValidation: "accept-all" });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ domain: "example.org", recipientValidation: "accept-all" });
    const listed = await admin.call("GET", "/domains");
    expect(listed.json).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ domain: "example.org", recipientValidation: "accept-all" }),
      ]),
    );
    const missing = await admin.call("PATCH", "/domains/nowhere.test", { recipientValidation: "accept-all" });
    expect(errorCode(missing.json)).toBe("domain_not_found");
  });

  it("gives the password rules in words, also to someone who must first change their password", async () => {
    const app = await setUp(getDb());
    const pending = await signInClient(app, "newadmin@example.com", "Tidal-Lantern-7");
    expect(errorCode((await pending.call("GET", "/domains")).json)).toBe("password_change_required");
    const reply = await pending.call("GET", "/password-policy/rules");
    expect(reply.status).toBe(200);
    const { account, rules } = reply.json as unknown as PasswordRules;
    expect(account).toBe("CxAy");
    expect(rules.map((r) => r.code)).toEqual([
      "password_too_short",
      "password_too_long",
      "password_needs_classes",
      "password_too_common",
    ]);
    // A refused password is refused by code, its rules in details; the sentence names them in words.
    const weak = await pending.call("POST", "/auth/password", {
      currentPassword: "Tidal-Lantern-7",
      newPassword: "short",
    });
    expect(errorCode(weak.json)).toBe("password_weak");
    const error = weak.json.error as { message: string; details: { rules: string[] } };
    expect(error.details.rules).toContain("password_too_short");
    expect(error.message).not.toContain("password_too_short");
  });

  it("has one note limit: GET /meta, the OpenAPI document and the rulebook agree", async () => {
    const admin = await signInClient(await setUp(getDb()), "admin@example.com", ADMIN_PASSWORD);
    const meta = (await admin.call("GET", "/meta")).json as unknown as Meta;
    expect(meta.noteMaxLength).toBe(MAX_NOTE_LENGTH);
    expect(meta.recipientValidations.map((v) => v.mode)).toEqual([
      "accept-all",
      "known-recipients",
      "directory-users",
    ]);
    const doc = JSON.stringify((await admin.call("GET", "/openapi.json")).json);
    const notes = [...doc.matchAll(/"maxLength":(\d+),"description":"A note of/g)].map((m) => Number(m[1]));
    // The users' notes (create and update) and the import's note, each with the rulebook's limit.
    expect(notes.length).toBeGreaterThanOrEqual(3);
    expect(new Set(notes)).toEqual(new Set([MAX_NOTE_LENGTH]));
    // 100 characters outside the BMP (200 UTF-16 units) pass; one more is the rulebook's note_invalid.
    const emoji = "😀".repeat(MAX_NOTE_LENGTH);
    const ok = await admin.call("PATCH", "/users/admin@example.com", { notes: [emoji] });
    expect(ok.status).toBe(200);
    const long = await admin.call("PATCH", "/users/admin@example.com", {
      notes: ["x".repeat(MAX_NOTE_LENGTH + 1)],
    });
    expect(errorCode(long.json)).toBe("note_invalid");
  });
});
