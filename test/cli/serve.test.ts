import { describe, expect, it } from "vitest";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { createCliDatabaseUrl, DIALECTS } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";
import { startServe } from "../support/serve-process.js";

/** Signs in over real HTTP; returns the cookie and CSRF token a browser would hold. */
async function signIn(
  url: string,
  email: string,
  password: string,
): Promise<{ cookie: string; csrf: string }> {
  const reply = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  const me = (await reply.json()) as { csrfToken: string };
  return { cookie: (reply.headers.get("set-cookie") ?? "").split(";")[0] ?? "", csrf: me.csrfToken };
}

describe.each(DIALECTS)("mailroster serve on %s", (dialect) => {
  it("creates the first administrator once, with a forced change, and serves an existing database", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    try {
      const first = await startServe(url);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.firstSignIn?.email).toBe("admin@mailroster.local");
      // What it did first, and what is optional and off, each with the flag or variable that turns it on.
      expect(first.output.split("\n")[0]).toMatch(/^mailroster: (created the directory's tables in|using) /);
      expect(first.output).toContain("Optional, off: Sync All from LDAP, connectors and OpenID Connect");
      expect(first.output).toContain("--smtp-listen HOST:PORT");
      expect(first.output).toContain("--mail-auth-socket PATH");
      const reply = await fetch(`${first.url}/api/v1/auth/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(first.firstSignIn),
      });
      expect(reply.status).toBe(200);
      expect(((await reply.json()) as { passwordChange: unknown }).passwordChange).toBe("forced");
      expect(await first.stop()).toBe(0);

      const again = await startServe(url);
      expect(again.firstSignIn).toBeUndefined();
      expect(again.output).not.toContain("Password");
      expect(again.output.split("\n")[0]).toMatch(/^mailroster: using /);
      expect((await fetch(`${again.url}/api/v1/auth/me`)).status).toBe(401);
      expect(await again.stop()).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it("fails a save that a killed server left saving, at the next start, and says so", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    // On a PostgreSQL server the import's lease settles it (another server may share the database).
    const shared = url.startsWith("postgres");
    const flags = shared ? ["--job-lease-seconds", "1"] : [];
    try {
      const first = await startServe(url, flags);
      const admin = first.firstSignIn;
      if (!admin) throw new Error("serve printed no first sign-in");
      let session = await signIn(first.url, admin.email, admin.password);
      const changed = await fetch(`${first.url}/api/v1/auth/password`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: session.cookie, "x-csrf-token": session.csrf },
        body: JSON.stringify({ currentPassword: admin.password, newPassword: "Copper-Kettle-93" }),
      });
      expect(changed.status).toBe(200);
      // Enough passwords that hashing keeps the save in "saving" for a while.
      const rows: XlsValue[][] = [["email", "name", "password"]];
      for (let i = 0; i < 400; i++) rows.push([`u${i}@mailroster.local`, `U ${i}`, `Tidal-Lantern-${i}x`]);
      const form = new FormData();
      form.set("uploadOnly", "true");
      form.set("file", new Blob([new Uint8Array(usersXls(rows))]), "staff.xls");
      const headers = { cookie: session.cookie, "x-csrf-token": session.csrf };
      const started = await fetch(`${first.url}/api/v1/imports/save`, {
        method: "POST",
        headers,
        body: form,
      });
      expect(started.status).toBe(202);
      const { importId } = (await started.json()) as { importId: string };
      const stateOf = async (base: string): Promise<{ state: string; errors: { code: string }[] }> =>
        (await (await fetch(`${base}/api/v1/imports/${importId}`, { headers })).json()) as {
          state: string;
          errors: { code: string }[];
        };
      for (let i = 0; i < 300 && (await stateOf(first.url)).state !== "saving"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await stateOf(first.url)).state).toBe("saving");
      const exited = new Promise((resolve) => first.process.once("exit", resolve));
      first.process.kill("SIGKILL");
      await exited;

      const again = await startServe(url, flags);
      if (!shared) expect(again.output).toContain("1 interrupted import(s) marked failed");
      session = await signIn(again.url, admin.email, "Copper-Kettle-93");
      headers.cookie = session.cookie;
      for (let i = 0; i < 200 && (await stateOf(again.url)).state !== "failed"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const view = await stateOf(again.url);
      expect(view.state).toBe("failed");
      expect(view.errors.map((e) => e.code)).toEqual(["import_interrupted"]);
      const users = await fetch(`${again.url}/api/v1/users?q=u1`, { headers });
      expect(((await users.json()) as { total: number }).total).toBe(0);
      expect(await again.stop()).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
