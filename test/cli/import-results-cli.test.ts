import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { initExampleArgv, useCliDatabase } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";

describe.each(DIALECTS)("import --results on %s", (dialect) => {
  const { cli } = useCliDatabase(dialect);
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-results-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes the results file beside a preview with errors, and refuses another extension", async () => {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    const path = join(dir, "users.xls");
    writeFileSync(
      path,
      usersXls([
        ["email", "name", "pop"],
        ["amy@example.com", "Amy", "maybe"],
        ["rory@example.com", "Rory", "yes"],
      ]),
    );
    const out = join(dir, "results.xls");
    const run = await cli("import", path, "--upload-only", "--results", out);
    expect(run.code).toBe(1);
    const sheet = readXls(readFileSync(out), { fileName: "results.xls" }).sheets[0];
    const grid = [...(sheet?.rows() ?? [])].map((r) => Array.from(r.texts(), (t) => t ?? ""));
    expect(grid.map((r) => r.slice(3))).toEqual([
      ["Status", "Error"],
      ["Error", expect.stringContaining("maybe")],
      ["Skipped", ""],
    ]);
    const csv = join(dir, "results.csv");
    expect((await cli("import", path, "--upload-only", "--results", csv)).code).toBe(1);
    expect(readFileSync(csv, "utf8")).toContain('"Status","Error"');
    expect((await cli("import", path, "--upload-only", "--results", join(dir, "r.txt"))).code).toBe(2);
  });
});
