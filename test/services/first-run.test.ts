import { describe, expect, it } from "vitest";
import { DEFAULT_FIRST_ADMINISTRATOR, ensureFirstAdministrator } from "../../src/services/first-run.js";
import { getUser } from "../../src/services/users/find-users.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { initExample, makeContext } from "../support/service-context.js";

describe.each(DIALECTS)("the first administrator on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("is created once, on an empty directory, with a password they must change", async () => {
    const context = makeContext(getDb(), { kind: "system", name: "serve" });
    const first = await ensureFirstAdministrator(context, { email: "root@corp.example" });
    expect(first?.email).toBe("root@corp.example");
    expect(first?.password.length).toBeGreaterThanOrEqual(18);
    const admin = await getUser(context, "root@corp.example");
    expect(admin).toMatchObject({ account: "ORG", forceChangePassword: true, hasPassword: true });
    expect(admin.roles).toEqual(["Super Administrator"]);
    expect(await ensureFirstAdministrator(context)).toBeUndefined();
  });

  it("is left alone when an account exists, and has a default address", async () => {
    const context = makeContext(getDb());
    await initExample(context);
    expect(await ensureFirstAdministrator(context)).toBeUndefined();
    expect(DEFAULT_FIRST_ADMINISTRATOR).toBe("admin@mailroster.local");
  });
});
