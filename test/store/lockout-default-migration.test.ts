import type { Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import { createAccount } from "../../src/services/accounts-service.js";
import { loadPasswordPolicy } from "../../src/services/password-policy-service.js";
import { findAccountByCodeKey } from "../../src/store/accounts-repository.js";
import { upsertPasswordPolicyRow } from "../../src/store/password-policies-repository.js";
import * as lockoutByDefault from "../../src/store/migrations/0006-lockout-by-default.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { initExample, makeContext } from "../support/service-context.js";

/** The stored row of the default policy as it was before lockout was on by default. */
function oldDefaultRow(accountId: string) {
  return {
    account_id: accountId,
    min_length: 8,
    require_upper: 0,
    require_lower: 0,
    require_digit: 0,
    require_symbol: 0,
    min_classes: 3,
    refuse_common: 1,
    max_age_days: 0,
    history: 0,
    lockout_threshold: 0,
    lockout_minutes: 30,
    updated_at: "2025-06-01T00:00:00.000Z",
  };
}

describe.each(DIALECTS)("migration 0006-lockout-by-default on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("moves a stored policy equal to the old default to lockout on, and leaves a chosen one alone", async () => {
    const open = getDb();
    const context = makeContext(open);
    await initExample(context);
    await createAccount(context, { name: "Chosen", code: "chosen" });
    await createAccount(context, { name: "Unset", code: "unset" });
    const idOf = async (code: string): Promise<string> => {
      const account = await findAccountByCodeKey(open.db, code.toLowerCase());
      if (!account) throw new Error(`no account ${code}`);
      return account.id;
    };
    const old = await idOf("CxAy");
    const chosen = await idOf("chosen");
    const unset = await idOf("unset");
    // Rows written before the migration (the test database is already migrated: the rows are put back).
    await upsertPasswordPolicyRow(open.db, oldDefaultRow(old));
    await upsertPasswordPolicyRow(open.db, { ...oldDefaultRow(chosen), min_length: 12 });

    // A migration runs on an untyped Kysely, as the migrator gives it.
    const untyped = open.db as unknown as Kysely<unknown>;
    await lockoutByDefault.up(untyped);
    expect((await loadPasswordPolicy(open.db, old)).lockoutThreshold).toBe(10);
    expect(await loadPasswordPolicy(open.db, chosen)).toMatchObject({ minLength: 12, lockoutThreshold: 0 });
    expect((await loadPasswordPolicy(open.db, unset)).lockoutThreshold).toBe(10);

    await lockoutByDefault.down(untyped);
    expect((await loadPasswordPolicy(open.db, old)).lockoutThreshold).toBe(0);
    expect(await loadPasswordPolicy(open.db, chosen)).toMatchObject({ minLength: 12, lockoutThreshold: 0 });
  });
});
