import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createApp } from "../../src/http/app.js";
import type { AppDependencies } from "../../src/http/http-env.js";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { ApiClient, errorCode, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, countingHasher, exampleWithClock, makeContext } from "../support/service-context.js";

const PASSWORD = "Tidal-Lantern-7";

/**
 * The example directory (CxAy, admin@example.com) with eu1 nested under it; sam@example.com a second Super
 * Administrator, mia@example.com a mail user with a password, nora@example.com one without; a clock the test
 * moves; admin signed in.
 */
async function setUp(open: TestDatabase, deps: Partial<AppDependencies> = {}) {
  const { clock, now, context: system } = await exampleWithClock(open);
  const counting = countingHasher();
  await createAccount(system, { name: "EU", code: "eu1", parent: "CxAy", kind: "mail-processing" });
  await addDomain(system, { domain: "eu.example.net", account: "eu1" });
  await saveUsers(system, {
    users: [
      { email: "sam@example.com", name: "Sam", password: PASSWORD, forceChangePassword: false },
      { email: "mia@example.com", name: "Mia", password: PASSWORD, forceChangePassword: false },
      { email: "nora@example.com", name: "Nora" },
      { email: "eve@eu.example.net", name: "Eve" },
    ],
  });
  await assignRole(system, { email: "sam@example.com", role: "Super Administrator" });
  const app = createApp({
    db: open.db,
    hasher: counting.hasher,
    isCommonPassword,
    now,
    signInLimiter: new RateLimiter(1000, 60_000, now),
    ...deps,
  });
  const signIn = (email: string, password: string): Promise<ApiClient> => signInClient(app, email, password);
  const admin = await signIn("admin@example.com", ADMIN_PASSWORD);
  const attempt = (email: string, password: string) =>
    new ApiClient(app).call("POST", "/auth/sign-in", { email, password });
  return { app, admin, clock, signIn, attempt, verifies: counting.verifies };
}

async function newToken(client: ApiClient, account?: string): Promise<string> {
  const query = account === undefined ? "" : `?account=${account}`;
  const created = await client.call("POST", `/api-tokens${query}`, { name: "robot" });
  expect(created.status).toBe(201);
  return created.json.token as string;
}

function bearer(app: ConstructorParameters<typeof ApiClient>[0], token: string): ApiClient {
  const client = new ApiClient(app);
  client.bearer = token;
  return client;
}

describe.each(DIALECTS)("sign-in, session and token hardening on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("refuses every failed sign-in alike, after exactly one verify each", async () => {
    const { admin, clock, signIn, attempt, verifies } = await setUp(getDb());
    await admin.call("PATCH", "/password-policy", { lockoutThreshold: 2, lockoutMinutes: 10 });
    // sam locked by an administrator; eve's address has no password; admin's own lock by the policy below.
    expect((await admin.call("PATCH", "/users/sam@example.com", { locked: true })).status).toBe(200);
    const refusals: [string, string][] = [
      ["who@example.com", PASSWORD], // unknown address
      ["not an address", PASSWORD],
      ["mia@example.com", "Wrong-Guess-11"], // wrong password
      ["mia@example.com", PASSWORD], // right password, no administrator role
      ["nora@example.com", PASSWORD], // no password set
      ["sam@example.com", PASSWORD], // locked by an administrator, right password
      ["sam@example.com", "Wrong-Guess-11"], // locked by an administrator, wrong password
    ];
    for (const [email, password] of refusals) {
      const before = verifies();
      const reply = await attempt(email, password);
      expect([email, reply.status, errorCode(reply.json)]).toEqual([email, 401, "sign_in_failed"]);
      expect(verifies() - before).toBe(1);
    }
    // Locked by the policy: the right password is refused alike, and does not lift the lock.
    await attempt("admin@example.com", "Wrong-Guess-11");
    await attempt("admin@example.com", "Wrong-Guess-12");
    for (const password of [ADMIN_PASSWORD, "Wrong-Guess-13"]) {
      const before = verifies();
      const reply = await attempt("admin@example.com", password);
      expect([reply.status, errorCode(reply.json)]).toEqual([401, "sign_in_failed"]);
      expect(verifies() - before).toBe(1);
    }
    // Once the lock has run its time, the right password opens a session again, and the lockout is on record.
    clock.now = new Date(clock.now.getTime() + 11 * 60_000);
    const again = await signIn("admin@example.com", ADMIN_PASSWORD);
    const trail = await again.call("GET", "/users/admin@example.com/audit?pageSize=100");
    const actions = (trail.json.items as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["user.lockout", "user.unlock"]));
  });

  it("does not count a mail user's right password toward the lockout, nor let it clear the count", async () => {
    const { admin, attempt } = await setUp(getDb());
    await admin.call("PATCH", "/password-policy", { lockoutThreshold: 2 });
    const lockedNow = async () => (await admin.call("GET", "/users/mia@example.com")).json.locked;
    for (let i = 0; i < 3; i++)
      expect(errorCode((await attempt("mia@example.com", PASSWORD)).json)).toBe("sign_in_failed");
    expect(await lockedNow()).toBe(false);
    await attempt("mia@example.com", "Wrong-Guess-11");
    await attempt("mia@example.com", PASSWORD);
    expect(await lockedNow()).toBe(false);
    await attempt("mia@example.com", "Wrong-Guess-12");
    expect(await lockedNow()).toBe(true);
  });

  it("locks out after 10 failures by default", async () => {
    const { admin, attempt } = await setUp(getDb());
    expect((await admin.call("GET", "/password-policy")).json).toMatchObject({
      policy: { lockoutThreshold: 10, lockoutMinutes: 30 },
    });
    for (let i = 0; i < 9; i++) await attempt("sam@example.com", `Wrong-Guess-${i}`);
    expect((await admin.call("GET", "/users/sam@example.com")).json.locked).toBe(false);
    await attempt("sam@example.com", "Wrong-Guess-9");
    expect((await admin.call("GET", "/users/sam@example.com")).json.locked).toBe(true);
    expect(errorCode((await attempt("sam@example.com", PASSWORD)).json)).toBe("sign_in_failed");
  });

  it("sets Secure on the session cookie when forced, over https, or from a trusted proxy that saw https", async () => {
    const open = getDb();
    await setUp(open);
    const signInCookie = async (
      deps: Partial<AppDependencies>,
      url: string,
      headers: Record<string, string> = {},
    ): Promise<string> => {
      const app = createApp({ ...makeContext(open), ...deps });
      const response = await app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ email: "sam@example.com", password: PASSWORD }),
      });
      expect(response.status).toBe(200);
      return response.headers.get("set-cookie") ?? "";
    };
    const http = "http://localhost/api/v1/auth/sign-in";
    const https = "https://localhost/api/v1/auth/sign-in";
    const proxied = { "x-forwarded-proto": "https" };
    const secure = /;\s*Secure/i;
    expect(await signInCookie({}, http)).not.toMatch(secure);
    // Without --trust-proxy the header is anyone's to send, and is ignored.
    expect(await signInCookie({}, http, proxied)).not.toMatch(secure);
    expect(await signInCookie({ trustProxy: true }, http, { "x-forwarded-proto": "http" })).not.toMatch(
      secure,
    );
    // A proxy that appends: its own value (the last) counts, not the client's.
    expect(
      await signInCookie({ trustProxy: true }, http, { "x-forwarded-proto": "https, http" }),
    ).not.toMatch(secure);
    expect(await signInCookie({ secureCookies: true }, http)).toMatch(secure);
    expect(await signInCookie({ trustProxy: true }, http, proxied)).toMatch(secure);
    expect(await signInCookie({}, https)).toMatch(secure);
  });

  it("limits sign-in per client behind a trusted proxy by the address it saw, and ignores the header otherwise", async () => {
    const open = getDb();
    await setUp(open);
    const attempt = (app: ReturnType<typeof createApp>, email: string, forwardedFor: string) =>
      app.request("/api/v1/auth/sign-in", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
        body: JSON.stringify({ email, password: "Wrong-Guess-1" }),
      });
    const limited = (trustProxy: boolean) =>
      createApp({
        ...makeContext(open),
        trustProxy,
        signInLimiter: new RateLimiter(2, 60_000, () => new Date()),
      });
    // Behind the proxy: each client its own bucket; a client's own X-Forwarded-For entry (first) changes nothing.
    const proxied = limited(true);
    for (const email of ["a@example.com", "b@example.com"]) {
      expect((await attempt(proxied, email, "203.0.113.7")).status).toBe(401);
    }
    expect((await attempt(proxied, "c@example.com", "198.51.100.1, 203.0.113.7")).status).toBe(429);
    expect((await attempt(proxied, "d@example.com", "203.0.113.8")).status).toBe(401);
    // Not trusted: the header is anyone's to write, so every request counts against the one peer.
    const direct = limited(false);
    for (const [email, ip] of [
      ["a@example.com", "203.0.113.1"],
      ["b@example.com", "203.0.113.2"],
    ]) {
      expect((await attempt(direct, email ?? "", ip ?? "")).status).toBe(401);
    }
    expect((await attempt(direct, "c@example.com", "203.0.113.3")).status).toBe(429);
  });

  it("ends a user's sessions and API tokens when an administrator sets their password", async () => {
    const { app, admin, signIn } = await setUp(getDb());
    const sam = await signIn("sam@example.com", PASSWORD);
    const robot = bearer(app, await newToken(sam));
    expect((await robot.call("GET", "/groups")).status).toBe(200);
    const set = await admin.call("POST", "/users/sam@example.com/password", {
      password: "Quiet-Meadow-81",
      forceChangePassword: false,
    });
    expect(set.status).toBe(200);
    expect(errorCode((await sam.call("GET", "/auth/me")).json)).toBe("not_signed_in");
    expect(errorCode((await robot.call("GET", "/groups")).json)).toBe("not_signed_in");
    const tokens = (await admin.call("GET", "/api-tokens")).json as unknown as { revokedAt: string | null }[];
    expect(tokens.map((t) => t.revokedAt === null)).toEqual([false]);
    expect((await admin.call("GET", "/auth/me")).status).toBe(200);
    const trail = await admin.call("GET", "/users/sam@example.com/audit?pageSize=100");
    expect((trail.json.items as { action: string }[]).map((e) => e.action)).toContain("api_token.revoke");
  });

  it("ends a user's sessions and API tokens when an administrator locks them; unlocking brings none back", async () => {
    const { app, admin, signIn, attempt } = await setUp(getDb());
    const sam = await signIn("sam@example.com", PASSWORD);
    const robot = bearer(app, await newToken(sam));
    expect((await admin.call("PATCH", "/users/sam@example.com", { locked: true })).status).toBe(200);
    expect(errorCode((await sam.call("GET", "/auth/me")).json)).toBe("not_signed_in");
    expect(errorCode((await robot.call("GET", "/groups")).json)).toBe("not_signed_in");
    expect((await admin.call("POST", "/users/sam@example.com/unlock")).status).toBe(200);
    expect(errorCode((await robot.call("GET", "/groups")).json)).toBe("not_signed_in");
    expect((await attempt("sam@example.com", PASSWORD)).status).toBe(200);
  });

  it("ends the user's other sessions when they change their own password, and keeps the current one", async () => {
    const { app, signIn } = await setUp(getDb());
    const here = await signIn("sam@example.com", PASSWORD);
    const elsewhere = await signIn("sam@example.com", PASSWORD);
    const robot = bearer(app, await newToken(here));
    const changed = await here.call("POST", "/auth/password", {
      currentPassword: PASSWORD,
      newPassword: "Quiet-Meadow-81",
    });
    expect(changed.status).toBe(200);
    expect((await here.call("GET", "/auth/me")).status).toBe(200);
    expect(errorCode((await elsewhere.call("GET", "/auth/me")).json)).toBe("not_signed_in");
    // A token is a separate credential with its own revocation: the user's own change leaves it.
    expect((await robot.call("GET", "/groups")).status).toBe(200);
  });

  it("lets only a signed-in session create, list or revoke API tokens", async () => {
    const { app, admin } = await setUp(getDb());
    const robot = bearer(app, await newToken(admin));
    const id = ((await admin.call("GET", "/api-tokens")).json as unknown as { id: string }[])[0]?.id ?? "";
    for (const [method, path, body] of [
      ["GET", "/api-tokens", undefined],
      ["POST", "/api-tokens", { name: "another" }],
      ["DELETE", `/api-tokens/${id}`, undefined],
    ] as const) {
      const reply = await robot.call(method, path, body);
      expect([method, reply.status, errorCode(reply.json)]).toEqual([method, 403, "token_not_allowed"]);
    }
    const listed = (await admin.call("GET", "/api-tokens")).json as unknown as { revokedAt: string | null }[];
    expect(listed.map((t) => t.revokedAt)).toEqual([null]);
  });

  it("lets a token act only within its own account and those nested under it", async () => {
    const { app, admin } = await setUp(getDb());
    const nested = bearer(app, await newToken(admin, "eu1"));
    // Its requests default to its own account.
    const own = await nested.call("GET", "/users");
    expect((own.json.items as { email: string }[]).map((u) => u.email)).toEqual(["eve@eu.example.net"]);
    expect((await nested.call("PATCH", "/users/eve@eu.example.net", { pop: true })).status).toBe(200);
    // Its creator's own account is outside the token's, though within the creator's reach: answered as a
    // missing account, like any account outside reach.
    const parent = await nested.call("GET", "/users?account=CxAy");
    expect([parent.status, errorCode(parent.json)]).toEqual([404, "account_not_found"]);
    // A user outside the token's reach is refused as a missing one (account-lookup's isWithinReach).
    const edit = await nested.call("PATCH", "/users/mia@example.com", { pop: true });
    expect([edit.status, errorCode(edit.json)]).toEqual([404, "user_not_found"]);
    const password = await nested.call("POST", "/users/mia@example.com/password", {
      password: "Quiet-Meadow-81",
    });
    expect([password.status, errorCode(password.json)]).toEqual([404, "user_not_found"]);
    // A token of the parent account reaches the nested one.
    const top = bearer(app, await newToken(admin, "CxAy"));
    expect((await top.call("GET", "/users?account=eu1")).status).toBe(200);
    expect((await top.call("GET", "/users?account=CxAy")).status).toBe(200);
  });
});
