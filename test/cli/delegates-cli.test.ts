import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { XlsValue } from "../../src/sheet/xls/write-xls.js";
import { initExampleArgv, runCli, useCliDatabase, type CliRun } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";
import { usersXls } from "../support/import-files.js";

const JSON_KEYS = [
  ...["checkpoint", "errors", "file", "importId", "ok", "saved", "sheet", "summary", "warnings"],
  ...["errorCount", "errorCounts", "truncated", "warningCount", "warningCounts"],
].sort();

describe.each(DIALECTS)("delegates CLI on %s", (dialect) => {
  const { cli } = useCliDatabase(dialect);
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-delegates-"));
    delete process.env.SMTP_URL;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const json = (r: CliRun): Record<string, unknown> => JSON.parse(r.stdout) as Record<string, unknown>;
  const sheet = (name: string, ...rows: XlsValue[][]): string => {
    const path = join(dir, name);
    writeFileSync(path, usersXls([["primary", "delegate", "action"], ...rows], "Delegates"));
    return path;
  };
  async function init(): Promise<void> {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    for (const email of ["ann@example.com", "bob@example.com", "cat@example.com"]) {
      expect((await cli("users", "add", email, "--name", email.slice(0, 3))).code).toBe(0);
    }
  }

  it("previews and saves with the exact JSON shape and the import's exit codes", async () => {
    await init();
    const good = sheet(
      "d.xls",
      ["ann@example.com", "bob@example.com", ""],
      ["ann@example.com", "cat@example.com", ""],
    );
    const preview = await cli("delegates", "import", good, "--json");
    expect(preview.code).toBe(0);
    const body = json(preview);
    expect(Object.keys(body).sort()).toEqual(JSON_KEYS);
    expect(body).toMatchObject({
      ok: true,
      saved: false,
      file: "d.xls",
      sheet: "Delegates",
      checkpoint: "A1",
      summary: { rows: 2, add: 2, remove: 0, unchanged: 0 },
      errors: [],
      warnings: [],
    });
    expect(Object.keys(body.summary as object).sort()).toEqual(["add", "remove", "rows", "unchanged"]);
    expect((await cli("delegates", "list", "--json")).stdout.trim()).toBe("[]");

    const saved = await cli("delegates", "import", good, "--save", "--json");
    expect(saved.code).toBe(0);
    expect(json(saved)).toMatchObject({ ok: true, saved: true, summary: { add: 2 } });
    const list = await cli("delegates", "list", "--json");
    expect(JSON.parse(list.stdout)).toEqual([
      { primary: "ann@example.com", delegate: "bob@example.com" },
      { primary: "ann@example.com", delegate: "cat@example.com" },
    ]);
    const onlyBob = await cli("delegates", "list", "--primary", "BOB@example.com", "--json");
    expect(JSON.parse(onlyBob.stdout)).toEqual([]);

    const bad = sheet("bad.xls", ["ann@example.com", "nobody@example.com", ""]);
    const refused = await cli("delegates", "import", bad, "--save", "--json");
    expect(refused.code).toBe(1);
    expect(json(refused)).toMatchObject({
      ok: false,
      saved: false,
      errors: [{ code: "delegate_user_not_found", cell: "B2", row: 2, column: "B" }],
    });
    expect((await cli("delegates", "import", join(dir, "missing.xls"), "--json")).code).toBe(1);
    expect((await cli("delegates", "import")).code).toBe(2);
    expect((await cli("delegates", "list", "--bogus")).code).toBe(2);
  });

  it("export -> import of the unchanged file changes nothing", async () => {
    await init();
    await cli(
      "delegates",
      "import",
      sheet("d.xls", ["ann@example.com", "bob@example.com", ""], ["cat@example.com", "ann@example.com", ""]),
      "--save",
    );
    const exported = join(dir, "export.xls");
    const written = await cli("delegates", "export", exported);
    expect(written.code).toBe(0);
    expect(readFileSync(exported).length).toBeGreaterThan(0);
    const again = await cli("delegates", "import", exported, "--save", "--json");
    expect(again.code).toBe(0);
    expect(json(again)).toMatchObject({
      ok: true,
      saved: true,
      checkpoint: "A1",
      summary: { rows: 2, add: 0, remove: 0, unchanged: 2 },
    });
    const template = join(dir, "template.xls");
    expect((await runCli(["delegates", "template", template])).code).toBe(0);
    expect(json(await cli("delegates", "import", template, "--json"))).toMatchObject({
      ok: true,
      summary: { rows: 0 },
      warnings: [{ code: "import_no_rows" }],
    });
  });
});
