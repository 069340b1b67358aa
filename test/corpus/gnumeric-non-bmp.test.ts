import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { initExampleArgv, useCliDatabase } from "../support/cli.js";
import { DIALECTS } from "../support/databases.js";

/**
 * Workbooks with text outside the BMP (emoji, CJK Extension B), written as .xls by Gnumeric and by
 * LibreOffice (test/fixtures/make-gnumeric-fixtures.sh), read to the values written. Gnumeric counts a
 * string that crosses a CONTINUE record in code points (src/sheet/xls/gnumeric-sst.ts); each Gnumeric
 * fixture holds such a string, which LibreOffice 7.4 and xlrd misread (each JSON says how).
 */

const DIR = join(import.meta.dirname, "../fixtures/gnumeric");

interface Expected {
  producer: string;
  libreoffice: string;
  xlrd: string;
  sheets: { name: string; rows: string[][] }[];
}

const fixtures = readdirSync(DIR)
  .filter((name) => name.endsWith(".xls"))
  .sort();
const expectedOf = (file: string): Expected =>
  JSON.parse(readFileSync(join(DIR, file.replace(/\.xls$/, ".json")), "utf8")) as Expected;

describe("workbooks with non-BMP text from Gnumeric and LibreOffice", () => {
  it("has a Gnumeric and a LibreOffice file of each sheet", () => {
    expect(fixtures).toEqual([
      "gnumeric-mixed.xls",
      "gnumeric-users.xls",
      "libreoffice-mixed.xls",
      "libreoffice-users.xls",
    ]);
  });

  it.each(fixtures)("reads %s to the values written", (file) => {
    const expected = expectedOf(file);
    const workbook = readXls(readFileSync(join(DIR, file)), { fileName: file });
    expect(workbook.sheets.map((s) => s.name)).toEqual(expected.sheets.map((s) => s.name));
    expected.sheets.forEach(({ rows }, i) => {
      const sheet = workbook.sheets[i];
      const got: string[][] = [];
      for (const row of sheet?.rows() ?? []) got[row.row] = Array.from(row.texts(), (t) => t ?? "");
      // An empty source cell is no cell at all in the file.
      const want = rows.map((row) => {
        const cells = [...row];
        while (cells.length > 0 && cells.at(-1) === "") cells.pop();
        return cells;
      });
      expect(got).toEqual(want);
    });
  });

  it("holds, in each Gnumeric file, a string the spec's count of code units misreads", () => {
    for (const file of fixtures.filter((f) => f.startsWith("gnumeric-"))) {
      expect(expectedOf(file).xlrd).toMatch(/^refuses/);
    }
  });
});

describe.each(DIALECTS)("importing a Gnumeric user sheet with non-BMP names on %s", (dialect) => {
  const { cli } = useCliDatabase(dialect);

  it("previews with no error and saves every name intact", { timeout: 60_000 }, async () => {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    expect((await cli("groups", "add", "Staff")).code).toBe(0);
    const path = join(DIR, "gnumeric-users.xls");
    const rows = expectedOf("gnumeric-users.xls").sheets[0]?.rows.slice(1) ?? [];

    const preview = await cli("import", path, "--group", "Staff", "--json");
    expect(preview.code).toBe(0);
    expect(JSON.parse(preview.stdout)).toMatchObject({
      ok: true,
      saved: false,
      sheet: "users.csv",
      checkpoint: "A1",
      errors: [],
      summary: { rows: rows.length, create: rows.length },
    });

    expect((await cli("import", path, "--group", "Staff", "--save", "--json")).code).toBe(0);
    // Row 238 holds the name that crosses a CONTINUE record in Gnumeric's file.
    for (const [email, name, department] of [0, 237, rows.length - 1].map((i) => rows[i] ?? [])) {
      const shown = await cli("users", "show", email ?? "", "--json");
      expect(JSON.parse(shown.stdout)).toMatchObject({
        name,
        attributes: expect.objectContaining({ department }) as unknown,
      });
    }
  });
});
