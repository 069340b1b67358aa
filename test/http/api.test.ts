import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { createApp } from "../../src/http/app.js";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { ApiClient, errorCode as code, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, exampleWithClock } from "../support/service-context.js";

/** The example directory, an app over it with a clock the test moves, and a signed-in Super Administrator. */
async function setUp(open: TestDatabase, limit = 1000) {
  const { clock, now, context } = await exampleWithClock(open);
  await saveUsers(context, {
    users: [
      {
        email: "jane@example.com",
        name: "Jane Doe",
        aliases: ["j.doe@example.org"],
        attributes: { Department: "Sales" },
        groups: ["Staff/London"],
      },
      { email: "bob@example.com", name: "Bob Stone", attributes: { Department: "Finance" } },
    ],
  });
  const app = createApp({
    db: open.db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now,
    signInLimiter: new RateLimiter(limit, 60_000, now),
  });
  const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
  return { app, admin, clock, context };
}

describe.each(DIALECTS)("HTTP API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("signs in with an HttpOnly SameSite=Strict cookie and refuses a wrong password alike for unknown users", async () => {
    const { app } = await setUp(getDb());
    const client = new ApiClient(app);
    expect(code((await client.call("GET", "/users")).json)).toBe("not_signed_in");
    const wrong = await client.call("POST", "/auth/sign-in", {
      email: "admin@example.com",
      password: "nope",
    });
    const unknown = await client.call("POST", "/auth/sign-in", {
      email: "who@example.com",
      password: "nope",
    });
    expect([wrong.status, code(wrong.json)]).toEqual([401, "sign_in_failed"]);
    expect([unknown.status, code(unknown.json)]).toEqual([401, "sign_in_failed"]);
    const response = await app.request("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "ADMIN@example.com", password: ADMIN_PASSWORD }),
    });
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = (await response.json()) as Record<string, unknown>;
    expect(me).toMatchObject({
      email: "admin@example.com",
      roles: ["Super Administrator"],
      passwordChange: null,
    });
    expect(typeof me.csrfToken).toBe("string");
  });

  it("needs the session's CSRF token and a same-site origin for every change", async () => {
    const { admin } = await setUp(getDb());
    const csrf = admin.csrf;
    admin.csrf = undefined;
    const missing = await admin.call("POST", "/users/bob@example.com/unlock");
    expect([missing.status, code(missing.json)]).toEqual([403, "csrf_failed"]);
    admin.csrf = "forged";
    expect(code((await admin.call("POST", "/users/bob@example.com/unlock")).json)).toBe("csrf_failed");
    admin.csrf = csrf;
    const foreign = await admin.call("POST", "/users/bob@example.com/unlock", undefined, {
      origin: "https://evil.example",
    });
    expect(code(foreign.json)).toBe("csrf_failed");
    expect((await admin.call("POST", "/users/bob@example.com/unlock")).status).toBe(200);
  });

  it("searches users by address, alias, name and attribute, paginated, without any secret", async () => {
    const { admin } = await setUp(getDb());
    const emails = async (query: string): Promise<unknown> =>
      ((await admin.call("GET", `/users?${query}`)).json.items as { email: string }[]).map((u) => u.email);
    expect(await emails("q=J.DOE")).toEqual(["jane@example.com"]);
    expect(await emails("q=stone&field=name")).toEqual(["bob@example.com"]);
    // Attribute values are not in the indexed search of every field: asked for by field, or filtered exactly.
    expect(await emails("q=finance")).toEqual([]);
    expect(await emails("q=finance&field=attribute")).toEqual(["bob@example.com"]);
    expect(await emails("q=sales&attribute=department")).toEqual(["jane@example.com"]);
    expect(await emails("q=%25")).toEqual([]);
    const page = await admin.call("GET", "/users?page=2&pageSize=1");
    expect(page.json).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(await emails("page=2&pageSize=1")).toEqual(["bob@example.com"]);
    const shown = await admin.call("GET", "/users/j.doe@example.org");
    expect(shown.json).toMatchObject({ email: "jane@example.com", groups: ["Staff/London"] });
    expect(JSON.stringify(page.json) + JSON.stringify(shown.json)).not.toMatch(/argon2|password_hash/);
    expect(code((await admin.call("GET", "/users?pageSize=5000")).json)).toBe("request_invalid");
    expect(code((await admin.call("GET", "/users/nobody@example.com")).json)).toBe("user_not_found");
  });

  it("creates, edits, sets a password (forced change at sign-in) and assigns a role", async () => {
    const { app, admin } = await setUp(getDb());
    const created = await admin.call("POST", "/users", { email: "amy@example.com", name: "Amy" });
    expect(created.status).toBe(201);
    const edited = await admin.call("PATCH", "/users/amy@example.com", {
      pop: true,
      attributes: { Office: "Leeds" },
      notes: ["Starts Monday"],
    });
    expect(edited.json).toMatchObject({ pop: true, attributes: { Office: "Leeds" } });
    const weak = await admin.call("POST", "/users/amy@example.com/password", { password: "password" });
    expect([weak.status, code(weak.json)]).toEqual([422, "password_weak"]);
    await admin.call("POST", "/users/amy@example.com/password", { password: "Tidal-Lantern-7" });
    await admin.call("POST", "/users/amy@example.com/roles", { role: "Helpdesk Administrator" });

    const amy = new ApiClient(app);
    const signIn = await amy.call("POST", "/auth/sign-in", {
      email: "amy@example.com",
      password: "Tidal-Lantern-7",
    });
    expect(signIn.json.passwordChange).toBe("forced");
    expect(code((await amy.call("GET", "/users")).json)).toBe("password_change_required");
    const badCurrent = await amy.call("POST", "/auth/password", {
      currentPassword: "x",
      newPassword: "Quiet-Meadow-81",
    });
    expect(code(badCurrent.json)).toBe("password_incorrect");
    const changed = await amy.call("POST", "/auth/password", {
      currentPassword: "Tidal-Lantern-7",
      newPassword: "Quiet-Meadow-81",
    });
    expect(changed.json.passwordChange).toBeNull();
    expect((await amy.call("GET", "/users")).status).toBe(200);
    // A Helpdesk Administrator manages users but not the audit log, roles or the policy.
    expect(code((await amy.call("GET", "/audit")).json)).toBe("permission_denied");
    expect(code((await amy.call("PATCH", "/password-policy", { minLength: 12 })).json)).toBe(
      "permission_denied",
    );
    // ... nor the password of a protected-role holder.
    const protectedTarget = await amy.call("POST", "/users/admin@example.com/password", {
      password: "Brave-Otter-55",
    });
    expect(code(protectedTarget.json)).toBe("protected_role_required");
    const trail = await admin.call("GET", "/users/amy@example.com/audit");
    expect((trail.json.items as { action: string }[]).map((e) => e.action)).toContain("user.password_change");
  });

  it("locks a user out after the policy's failures, lifts the lock after its minutes or on unlock", async () => {
    const { app, admin, clock } = await setUp(getDb());
    await admin.call("PATCH", "/password-policy", { lockoutThreshold: 2, lockoutMinutes: 10 });
    await admin.call("POST", "/users/bob@example.com/password", {
      password: "Tidal-Lantern-7",
      forceChangePassword: false,
    });
    await admin.call("POST", "/users/bob@example.com/roles", { role: "Basic Administrator" });
    const bob = new ApiClient(app);
    const attempt = (password: string) =>
      bob.call("POST", "/auth/sign-in", { email: "bob@example.com", password });
    await attempt("wrong-1");
    await attempt("wrong-2");
    // Locked: even the right password is refused, exactly as a wrong one (the lock tells nothing).
    const locked = await attempt("Tidal-Lantern-7");
    expect([locked.status, code(locked.json)]).toEqual([401, "sign_in_failed"]);
    expect((await admin.call("GET", "/users/bob@example.com")).json.locked).toBe(true);
    clock.now = new Date(clock.now.getTime() + 11 * 60_000);
    expect((await attempt("Tidal-Lantern-7")).status).toBe(200);

    await attempt("wrong-1");
    await attempt("wrong-2");
    expect(code((await attempt("Tidal-Lantern-7")).json)).toBe("sign_in_failed");
    const unlocked = await admin.call("POST", "/users/bob@example.com/unlock");
    expect(unlocked.json.locked).toBe(false);
    expect((await attempt("Tidal-Lantern-7")).status).toBe(200);
  });

  it("asks for a new password once the policy's maximum age has passed", async () => {
    const { app, admin, clock } = await setUp(getDb());
    await admin.call("PATCH", "/password-policy", { maxAgeDays: 30 });
    clock.now = new Date(clock.now.getTime() + 31 * 86_400_000);
    const again = new ApiClient(app);
    const signIn = await again.call("POST", "/auth/sign-in", {
      email: "admin@example.com",
      password: ADMIN_PASSWORD,
    });
    expect(signIn.json.passwordChange).toBe("expired");
    expect(code((await again.call("GET", "/groups")).json)).toBe("password_change_required");
  });

  it("rate-limits sign-in attempts", async () => {
    const { app } = await setUp(getDb(), 3);
    const client = new ApiClient(app);
    // setUp's own sign-in was the first attempt from this client.
    const statuses: number[] = [];
    let last: Headers | undefined;
    for (let i = 0; i < 3; i++) {
      const reply = await client.call("POST", "/auth/sign-in", { email: "x@example.com", password: "nope" });
      statuses.push(reply.status);
      last = reply.headers;
    }
    expect(statuses).toEqual([401, 401, 429]);
    expect(Number(last?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("issues API tokens that act as their creator until revoked, without CSRF", async () => {
    const { app, admin } = await setUp(getDb());
    const created = await admin.call("POST", "/api-tokens", { name: "nightly sync" });
    expect(created.status).toBe(201);
    const token = created.json.token as string;
    const id = (created.json.apiToken as { id: string }).id;
    const robot = new ApiClient(app);
    robot.bearer = token;
    expect((await robot.call("GET", "/groups")).json).toEqual([
      { path: "Staff", name: "Staff", parent: null, members: 0, totalMembers: 1 },
      { path: "Staff/London", name: "London", parent: "Staff", members: 1, totalMembers: 1 },
    ]);
    expect((await robot.call("POST", "/groups", { path: "Staff/Paris" })).status).toBe(201);
    const listed = await admin.call("GET", "/api-tokens");
    expect(JSON.stringify(listed.json)).not.toContain(token.split(".")[2]);
    expect((await admin.call("DELETE", `/api-tokens/${id}`)).json.revokedAt).not.toBeNull();
    expect(code((await robot.call("GET", "/groups")).json)).toBe("not_signed_in");
  });

  it("serves reads of attributes, domains, roles, policy and audit, and signs out", async () => {
    const { admin } = await setUp(getDb());
    expect((await admin.call("GET", "/attributes")).json).toEqual([{ name: "Department", users: 2 }]);
    expect(((await admin.call("GET", "/domains")).json as unknown as unknown[]).length).toBe(2);
    expect(((await admin.call("GET", "/roles")).json as unknown as unknown[]).length).toBe(8);
    expect((await admin.call("GET", "/password-policy")).json).toMatchObject({ policy: { minLength: 8 } });
    expect((await admin.call("GET", "/groups/members?path=staff/london")).json).toEqual({
      path: "Staff/London",
      members: ["jane@example.com"],
      total: 1,
      totalCapped: false,
      nextCursor: null,
      prevCursor: null,
    });
    const audit = await admin.call("GET", "/audit?pageSize=2");
    expect((audit.json.items as unknown[]).length).toBe(2);
    expect(code((await admin.call("GET", "/nothing-here")).json)).toBe("route_not_found");
    expect((await admin.call("POST", "/auth/sign-out")).status).toBe(200);
    expect(code((await admin.call("GET", "/auth/me")).json)).toBe("not_signed_in");
  });
});

describe("HTTP documents and headers", () => {
  const getDb = useTestDatabase("sqlite");

  it("publishes the OpenAPI document from the schemas, a docs page and strict security headers", async () => {
    const { app } = await setUp(getDb());
    const doc = (await (await app.request("/api/v1/openapi.json")).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/users/{address}/unlock");
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["User", "Error", "Me"]));
    expect(JSON.stringify(doc.components.schemas.User)).not.toContain("password_hash");
    const docs = await app.request("/api/docs");
    expect(docs.status).toBe(200);
    const csp = docs.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(docs.headers.get("x-content-type-options")).toBe("nosniff");
    expect(docs.headers.get("x-frame-options")).toBe("DENY");
    expect((await app.request("/")).headers.get("content-type")).toContain("text/html");
  });
});
