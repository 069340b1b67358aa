import type { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/http-env.js";
import { setPasswordPolicy } from "../../src/services/password-policy-service.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { createTestApp, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, exampleWithClock } from "../support/service-context.js";

const PASSWORD = "Tidal-Lantern-7";

/** A browser in miniature over app.request(): keeps cookies, posts forms, never follows redirects. */
class PortalBrowser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly app: Hono<AppEnv>) {}

  async request(
    method: "GET" | "POST",
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const all: Record<string, string> = { ...headers };
    if (this.cookies.size > 0) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (form) all["content-type"] = "application/x-www-form-urlencoded";
    const response = await this.app.request(path, {
      method,
      headers: all,
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie !== null) {
      const [pair = ""] = setCookie.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: response.status, html: await response.text(), headers: response.headers };
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The hidden CSRF field of the page last shown. */
  static csrfOf(html: string): string {
    return /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  }

  static codesOf(html: string): string[] {
    return [...html.matchAll(/data-code="([^"]+)"/g)].map((m) => m[1] ?? "");
  }

  /** As a browser does: the sign-in page first (its form token and cookie), then the form. */
  async signIn(email: string, password: string) {
    const form = await this.request("GET", "/portal");
    return this.request("POST", "/portal/sign-in", {
      csrf: PortalBrowser.csrfOf(form.html),
      email,
      password,
    });
  }
}

/** The example directory; mia a mail user (alias, group), ned must change his password first. */
async function setUp(open: TestDatabase) {
  const { clock, now, context: system } = await exampleWithClock(open);
  await saveUsers(system, {
    users: [
      {
        email: "mia@example.com",
        name: "Mia <Mail> User",
        password: PASSWORD,
        forceChangePassword: false,
        aliases: ["mia.alt@example.com"],
        groups: ["Staff/Sales"],
      },
      { email: "ned@example.com", name: "Ned", password: PASSWORD, forceChangePassword: true },
    ],
  });
  const app = createTestApp(open.db, { now });
  return { app, system, clock, browser: () => new PortalBrowser(app) };
}

describe.each(DIALECTS)("the portal on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("serves a sign-in form that works without JavaScript, under the console's CSP", async () => {
    const { browser } = await setUp(getDb());
    const page = await browser().request("GET", "/portal");
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<label for="email">Email address<\/label>/);
    expect(page.html).toMatch(/<label for="password">Password<\/label>/);
    expect(page.html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(page.html).not.toMatch(/<script|style="/);
    expect(page.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
    expect(page.headers.get("cache-control")).toBe("no-store");
  });

  it("signs a mail user in by alias with a cookie of its own, and shows their details", async () => {
    const { app, browser } = await setUp(getDb());
    const mia = browser();
    const signIn = await mia.signIn("mia.alt@example.com", PASSWORD);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get("set-cookie")).toMatch(/^mailroster_portal=[^;]+;.*HttpOnly.*SameSite=Strict/);
    const home = await mia.request("GET", "/portal");
    expect(home.html).toContain("mia@example.com");
    expect(home.html).toContain("Mia &lt;Mail&gt; User");
    expect(home.html).toContain("mia.alt@example.com");
    expect(home.html).toContain("Staff/Sales");
    // The portal cookie opens no console session.
    const me = await app.request("/api/v1/auth/me", {
      headers: { cookie: `mailroster_session=${mia.cookie("mailroster_portal") ?? ""}` },
    });
    expect(me.status).toBe(401);
  });

  it("answers every failure alike, and locks out across doors", async () => {
    const { app, system, browser } = await setUp(getDb());
    await setPasswordPolicy(system, { changes: { lockoutThreshold: 2 } });
    const visitor = browser();
    for (const [email, password] of [
      ["who@example.com", PASSWORD],
      ["mia@example.com", "Wrong-Guess-11"],
    ]) {
      const reply = await visitor.signIn(email ?? "", password ?? "");
      expect([reply.status, PortalBrowser.codesOf(reply.html)]).toEqual([401, ["sign_in_failed"]]);
    }
    // The second wrong guess comes through the console: the count is one, across doors.
    const consoleReply = await app.request("/api/v1/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "mia@example.com", password: "Wrong-Guess-12" }),
    });
    expect(consoleReply.status).toBe(401);
    const locked = await visitor.signIn("mia@example.com", PASSWORD);
    expect([locked.status, PortalBrowser.codesOf(locked.html)]).toEqual([401, ["sign_in_failed"]]);
  });

  it("forces the change first, under the policy and its history, then shows the page", async () => {
    const { system, browser } = await setUp(getDb());
    await setPasswordPolicy(system, { changes: { history: 3 } });
    const ned = browser();
    await ned.signIn("ned@example.com", PASSWORD);
    const forced = await ned.request("GET", "/portal");
    expect(forced.html).toMatch(/<label for="newPassword">New password<\/label>/);
    const csrf = PortalBrowser.csrfOf(forced.html);
    const change = (newPassword: string, token = csrf) =>
      ned.request("POST", "/portal/password", { csrf: token, currentPassword: PASSWORD, newPassword });
    expect(PortalBrowser.codesOf((await change("Fresh-Meadow-88", "forged")).html)).toEqual(["csrf_failed"]);
    expect(PortalBrowser.codesOf((await change("short")).html)).toContain("password_too_short");
    expect(PortalBrowser.codesOf((await change(PASSWORD)).html)).toEqual(["password_reused"]);
    // Elsewhere the old page is no way round the change.
    expect((await ned.request("GET", "/portal")).html).toContain("New password");
    const done = await change("Fresh-Meadow-88");
    expect([done.status, done.headers.get("location")]).toEqual([303, "/portal?changed=1"]);
    const home = await ned.request("GET", "/portal?changed=1");
    expect(home.html).toContain("Your password was changed.");
    expect(home.html).toContain("ned@example.com");
  });

  it("refuses a post from another site, or without the session's CSRF token, and signs out", async () => {
    const { browser } = await setUp(getDb());
    const mia = browser();
    const foreign = await mia.request(
      "POST",
      "/portal/sign-in",
      { email: "mia@example.com", password: PASSWORD },
      { origin: "https://evil.example" },
    );
    expect([foreign.status, PortalBrowser.codesOf(foreign.html)]).toEqual([403, ["csrf_failed"]]);
    // A form posted without the sign-in page's token (another site's form carries no SameSite cookie).
    const tokenless = await browser().request("POST", "/portal/sign-in", {
      email: "mia@example.com",
      password: PASSWORD,
    });
    expect([tokenless.status, PortalBrowser.codesOf(tokenless.html)]).toEqual([403, ["csrf_failed"]]);
    await mia.signIn("mia@example.com", PASSWORD);
    const home = await mia.request("GET", "/portal");
    await mia.request("POST", "/portal/sign-out", { csrf: "forged" });
    expect((await mia.request("GET", "/portal")).html).toContain("mia@example.com");
    await mia.request("POST", "/portal/sign-out", { csrf: PortalBrowser.csrfOf(home.html) });
    expect((await mia.request("GET", "/portal")).html).toContain("Sign in");
  });

  it("lets administrators in too, and ends the session when an administrator locks the user", async () => {
    const { app, browser } = await setUp(getDb());
    const admin = browser();
    await admin.signIn("admin@example.com", ADMIN_PASSWORD);
    expect((await admin.request("GET", "/portal")).html).toContain("admin@example.com");
    const mia = browser();
    await mia.signIn("mia@example.com", PASSWORD);
    const console = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
    expect((await console.call("PATCH", "/users/mia@example.com", { locked: true })).status).toBe(200);
    expect((await mia.request("GET", "/portal")).html).toContain("Sign in");
  });
});
