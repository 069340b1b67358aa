import { describe, expect, it } from "vitest";
import { OWASP_ARGON2ID } from "../adapters/password-hasher.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../../test/support/databases.js";
import { countingHasher, exampleWithClock } from "../../test/support/service-context.js";
import { listAuditRows } from "../store/audit-repository.js";
import { setPasswordPolicy } from "./password-policy-service.js";
import { saveUsers } from "./users/save-users.js";
import { checkUserSignIn, recordSignIn, TIMING_EQUALISER_HASH, type SignInAttempt } from "./user-sign-in.js";

const PASSWORD = "Tidal-Lantern-7";

/** The example directory with mia (alias mia.alt@), a clock the test moves, and a hasher counting verifies. */
async function setUp(open: TestDatabase) {
  const counting = countingHasher();
  const { clock, context } = await exampleWithClock(open, counting.hasher);
  await saveUsers(context, {
    users: [
      {
        email: "mia@example.com",
        name: "Mia",
        password: PASSWORD,
        forceChangePassword: false,
        aliases: ["mia.alt@example.com"],
      },
      { email: "ned@example.com", name: "Ned", password: PASSWORD, forceChangePassword: true },
      { email: "nora@example.com", name: "Nora" },
    ],
  });
  const check = (attempt: Partial<SignInAttempt> & { email: string; password: string }) =>
    checkUserSignIn(context, { door: "portal", ...attempt });
  return { context, clock, check, verifies: counting.verifies };
}

describe("the timing equaliser", () => {
  it("carries the hasher's parameters, so it costs what a real verify costs", () => {
    const { memoryCost, timeCost, parallelism } = OWASP_ARGON2ID;
    expect(TIMING_EQUALISER_HASH).toContain(`$m=${memoryCost},t=${timeCost},p=${parallelism}$`);
  });
});

describe.each(DIALECTS)("the one user sign-in check on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("signs in by primary address or alias, and reports a forced change", async () => {
    const { check } = await setUp(getDb());
    const byPrimary = await check({ email: "MIA@example.com", password: PASSWORD });
    expect(byPrimary).toMatchObject({ ok: true, passwordChange: null, user: { email: "mia@example.com" } });
    expect(await check({ email: "mia.alt@example.com", password: PASSWORD })).toMatchObject({ ok: true });
    expect(await check({ email: "ned@example.com", password: PASSWORD })).toMatchObject({
      ok: true,
      passwordChange: "forced",
    });
  });

  it("reports why it refused, after exactly one verify each", async () => {
    const { check, verifies } = await setUp(getDb());
    const cases: [string, string, Partial<SignInAttempt>, string][] = [
      ["who@example.com", PASSWORD, {}, "unknown"],
      ["not an address", PASSWORD, {}, "unknown"],
      ["nora@example.com", PASSWORD, {}, "unknown"],
      ["mia@example.com", "Wrong-Guess-11", {}, "wrong_password"],
      ["mia@example.com", PASSWORD, { admit: () => false }, "not_admitted"],
    ];
    for (const [email, password, extra, reason] of cases) {
      const before = verifies();
      expect([email, await check({ email, password, ...extra })]).toEqual([email, { ok: false, reason }]);
      expect(verifies() - before).toBe(1);
    }
  });

  it("refuses an expired password only where the door asks, and honours passwordneverexpire", async () => {
    const { context, clock, check } = await setUp(getDb());
    await setPasswordPolicy(context, { changes: { maxAgeDays: 30 } });
    await saveUsers(context, { users: [{ email: "ned@example.com", passwordNeverExpires: true }] });
    clock.now = new Date(clock.now.getTime() + 31 * 86_400_000);
    expect(await check({ email: "mia@example.com", password: PASSWORD })).toMatchObject({
      ok: true,
      passwordChange: "expired",
    });
    const mail = { door: "mail-auth", refuseExpired: true } as const;
    expect(await check({ email: "mia@example.com", password: PASSWORD, ...mail })).toEqual({
      ok: false,
      reason: "password_expired",
    });
    // ned never expires (his change is still forced, which mail-auth does not refuse).
    expect(await check({ email: "ned@example.com", password: PASSWORD, ...mail })).toMatchObject({
      ok: true,
      passwordChange: "forced",
    });
  });

  it("counts wrong passwords from every door together, refuses the locked user, and audits each door", async () => {
    const { context, clock, check } = await setUp(getDb());
    await setPasswordPolicy(context, { changes: { lockoutThreshold: 3, lockoutMinutes: 10 } });
    const wrong = "Wrong-Guess-11";
    await check({ email: "mia@example.com", password: wrong, door: "portal" });
    await check({ email: "mia@example.com", password: wrong, door: "oidc" });
    // A right password refused by the door's rule neither counts nor clears the count.
    const refusedRight = { door: "mail-auth", admit: () => false } as const;
    await check({ email: "mia@example.com", password: PASSWORD, ...refusedRight });
    await check({ email: "mia.alt@example.com", password: wrong, door: "mail-auth" });
    expect(await check({ email: "mia@example.com", password: PASSWORD })).toEqual({
      ok: false,
      reason: "locked",
    });
    clock.now = new Date(clock.now.getTime() + 11 * 60_000);
    const signedIn = await check({ email: "mia@example.com", password: PASSWORD, door: "oidc" });
    if (!signedIn.ok) throw new Error("expected a sign-in");
    await context.db.transaction().execute((tx) => recordSignIn(tx, context, signedIn.user, "oidc"));
    const rows = await listAuditRows(context.db, { limit: 1000 });
    const trail = rows
      .filter((r) => r.address === "mia@example.com" && /^(auth\.|user\.(lockout|unlock))/.test(r.action))
      .map((r) => [r.action, (JSON.parse(r.after_json ?? "{}") as { door?: string }).door ?? null]);
    expect(trail).toEqual(
      expect.arrayContaining([
        ["auth.sign_in_failure", "portal"],
        ["auth.sign_in_failure", "oidc"],
        ["auth.sign_in_failure", "mail-auth"],
        ["user.lockout", "mail-auth"],
        ["user.unlock", null],
        ["auth.sign_in", "oidc"],
      ]),
    );
  });
});
