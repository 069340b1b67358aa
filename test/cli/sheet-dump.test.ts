import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { writeXls } from "../../src/sheet/xls/write-xls.js";
import { runCli, type CliRun } from "../support/cli.js";

const run = (...argv: string[]): Promise<CliRun> => runCli(argv);

const dir = mkdtempSync(join(tmpdir(), "mailroster-dump-"));
function fixture(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const usersXls = fixture(
  "users.xls",
  writeXls([
    {
      name: "Users",
      rows: [
        ["email", "name", "changepassword", "employee", "started"],
        ["ada@example.com", "Ada Lovelace", true, 442079460000, new Date(Date.UTC(2024, 2, 1))],
      ],
      origin: "B3",
    },
    { name: "Notes", hidden: true, cells: { A1: "internal" } },
  ]),
);

describe("mailroster sheet dump", () => {
  it("prints the workbook as one JSON object with --json", async () => {
    const result = await run("sheet", "dump", usersXls, "--json");
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const parsed = JSON.parse(result.stdout) as unknown;
    expect(parsed).toEqual({
      format: "biff8",
      sheets: [
        {
          name: "Users",
          visible: true,
          cells: [
            { ref: "B3", kind: "text", value: "email", text: "email" },
            { ref: "C3", kind: "text", value: "name", text: "name" },
            { ref: "D3", kind: "text", value: "changepassword", text: "changepassword" },
            { ref: "E3", kind: "text", value: "employee", text: "employee" },
            { ref: "F3", kind: "text", value: "started", text: "started" },
            { ref: "B4", kind: "text", value: "ada@example.com", text: "ada@example.com" },
            { ref: "C4", kind: "text", value: "Ada Lovelace", text: "Ada Lovelace" },
            { ref: "D4", kind: "bool", value: true, text: "TRUE" },
            { ref: "E4", kind: "number", value: 442079460000, text: "442079460000" },
            { ref: "F4", kind: "date", value: 45352, text: "2024-03-01" },
          ],
        },
        {
          name: "Notes",
          visible: false,
          cells: [{ ref: "A1", kind: "text", value: "internal", text: "internal" }],
        },
      ],
    });
  });

  it("prints a readable listing without --json", async () => {
    const result = await run("sheet", "dump", usersXls);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Users");
    expect(result.stdout).toMatch(/F4\s+date\s+"2024-03-01"/);
  });

  it("refuses a file that is not .xls with exit 1 and one line naming the code and the file", async () => {
    const csv = fixture("users-really-csv.xls", "email,name\nada@example.com,Ada\n");
    const result = await run("sheet", "dump", csv, "--json");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("file_not_xls");
    expect(result.stderr).toContain("users-really-csv.xls");
  });

  it("refuses an empty file, a missing file and one over the size limit", async () => {
    expect((await run("sheet", "dump", fixture("empty.xls", ""))).stderr).toContain("file_empty");
    expect((await run("sheet", "dump", join(dir, "nope.xls"))).stderr).toContain("file_unreadable");
    const big = await run("sheet", "dump", usersXls, "--max-bytes", "100");
    expect(big.code).toBe(1);
    expect(big.stderr).toContain("file_too_large");
  });

  it("exits 2 on a usage error", async () => {
    expect((await run("sheet", "dump")).code).toBe(2);
    expect((await run("sheet", "dump", "a.xls", "b.xls")).code).toBe(2);
    expect((await run("sheet", "dump", usersXls, "--bogus")).code).toBe(2);
    expect((await run("sheet", "dump", usersXls, "--max-bytes", "lots")).code).toBe(2);
  });
});

describe("the mailroster executable", () => {
  const bin = resolve(import.meta.dirname, "../../bin/mailroster.js");

  it("runs sheet dump as a whole process", () => {
    const out = execFileSync(process.execPath, [bin, "sheet", "dump", usersXls, "--json"], {
      encoding: "utf8",
    });
    expect((JSON.parse(out) as { format: string }).format).toBe("biff8");
  });

  it("shows no stack trace when a file is refused", () => {
    const result = spawnSync(process.execPath, [bin, "sheet", "dump", fixture("plain.xls", "hello there")], {
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("file_not_xls");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
