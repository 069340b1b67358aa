import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { initExampleArgv, runCli } from "../support/cli.js";
import { createCliDatabaseUrl } from "../support/databases.js";

const BIN = join(import.meta.dirname, "../../bin/mailroster.js");

// The shipped executable runs the streamed lists in a process with a capped heap (bin/mailroster.js): what
// the user sees is unchanged: the output, the exit code, a refusal's message.
describe("the streamed lists through bin/mailroster.js", () => {
  it("answers as before, from the process with the capped heap", async () => {
    const { url, cleanup } = await createCliDatabaseUrl("sqlite");
    try {
      expect((await runCli([...initExampleArgv(), "--db", url])).code).toBe(0);
      const listed = spawnSync(process.execPath, [BIN, "users", "list", "--json", "--db", url], {
        encoding: "utf8",
      });
      expect(listed.status).toBe(0);
      expect((JSON.parse(listed.stdout) as { email: string }[]).map((u) => u.email)).toEqual([
        "admin@example.com",
      ]);
      const refused = spawnSync(process.execPath, [BIN, "audit", "list", "--account", "nope", "--db", url], {
        encoding: "utf8",
      });
      expect([refused.status, refused.stderr]).toEqual([1, expect.stringContaining("account_not_found")]);
    } finally {
      await cleanup();
    }
  });
});
