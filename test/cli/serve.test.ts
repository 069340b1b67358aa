import { describe, expect, it } from "vitest";
import { createCliDatabaseUrl, DIALECTS } from "../support/databases.js";
import { startServe } from "../support/serve-process.js";

describe.each(DIALECTS)("mailroster serve on %s", (dialect) => {
  it("creates the first administrator once, with a forced change, and serves an existing database", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    try {
      const first = await startServe(url);
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.firstSignIn?.email).toBe("admin@mailroster.local");
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
      expect((await fetch(`${again.url}/api/v1/auth/me`)).status).toBe(401);
      expect(await again.stop()).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
