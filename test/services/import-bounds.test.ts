import { describe, expect, it } from "vitest";
import type { ServiceContext } from "../../src/services/context.js";
import { importErrorReport } from "../../src/services/imports/import-files.js";
import { listImportHistory } from "../../src/services/imports/import-history.js";
import { showImport } from "../../src/services/imports/import-queries.js";
import { previewImport, saveImport } from "../../src/services/imports/run-import.js";
import { listOutbox } from "../../src/services/outbox-service.js";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import {
  FOREIGN_DOMAIN_PREVIEW,
  foreignDomainXls,
  junkCellsXls,
  MAX_XLS_DATA_ROWS,
} from "../support/import-files.js";
import { initExample, makeContext } from "../support/service-context.js";

// Issue 10: however many issues a file holds, the reply, the record and the reports list only the first
// (1,000 errors) and count every one by code.
const LISTED_ERRORS = 1000;
/** A message quotes at most 60 characters of a cell; the rest of it is our own short text. */
const MAX_MESSAGE_CHARS = 200;

describe.each(DIALECTS)("bounded imports on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  async function setUp(): Promise<ServiceContext> {
    await initExample(makeContext(getDb()));
    return makeContext(getDb(), { kind: "user", email: "admin@example.com" });
  }

  it("previews 65,535 rows of a domain that is not internal to a clean failure, listing 1,000", async () => {
    const context = await setUp();
    const outcome = await previewImport(context, { fileName: "foreign.xls", bytes: foreignDomainXls() });
    expect(outcome).toMatchObject({ ...FOREIGN_DOMAIN_PREVIEW, warningCount: 0, truncated: true });
    expect(outcome.errors).toHaveLength(LISTED_ERRORS);
    expect(outcome.errors[0]).toMatchObject({ code: "domain_not_internal", cell: "A2", row: 2, column: "A" });
    expect(outcome.errors.at(-1)).toMatchObject({ cell: `A${LISTED_ERRORS + 1}` });

    const view = await showImport(context, outcome.importId ?? "");
    expect(view).toMatchObject({
      state: "failed",
      mode: "preview",
      errorCount: MAX_XLS_DATA_ROWS,
      errorCounts: { domain_not_internal: MAX_XLS_DATA_ROWS },
      truncated: true,
    });
    expect(view.errors).toHaveLength(LISTED_ERRORS);
    const history = await listImportHistory(context, { page: 1, pageSize: 10 });
    expect(history.items[0]).toMatchObject({ state: "failed", errorCount: MAX_XLS_DATA_ROWS, ok: false });
  });

  it("quotes only a short excerpt of 300-character junk cells, and the reply stays small", async () => {
    const context = await setUp();
    const rows = 2000;
    const outcome = await saveImport(context, {
      fileName: "junk.xls",
      bytes: junkCellsXls(rows, { flags: 5, aliases: 3 }),
    });
    expect(outcome).toMatchObject({
      ok: false,
      saved: false,
      errorCount: rows * 8,
      errorCounts: { yes_no_invalid: rows * 5, alias_invalid: rows * 3 },
      truncated: true,
    });
    expect(outcome.errors).toHaveLength(LISTED_ERRORS);
    expect(outcome.errors.slice(0, 8).map((e) => e.cell)).toEqual([
      "C2",
      "D2",
      "E2",
      "F2",
      "G2",
      "H2",
      "I2",
      "J2",
    ]);
    for (const error of outcome.errors)
      expect(Array.from(error.message).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(JSON.stringify(outcome).length).toBeLessThan(1024 * 1024);
    // The failure mail quotes the first errors only, and as briefly.
    const mail = (await listOutbox(context)).at(-1);
    expect(mail?.body.length ?? 0).toBeLessThan(8 * 1024);
  });

  it("writes an error report of at most 1,000 errors and a last row counting the rest", async () => {
    const context = await setUp();
    const outcome = await previewImport(context, {
      fileName: "junk.xls",
      bytes: junkCellsXls(1000, { flags: 2, aliases: 2 }),
    });
    expect(outcome.errorCount).toBe(4000);
    for (const format of ["xls", "csv"] as const) {
      const report = await importErrorReport(context, outcome.importId ?? "", format);
      expect(report.bytes.length).toBeLessThan(1024 * 1024);
      if (format === "csv") {
        const lines = new TextDecoder().decode(report.bytes).trimEnd().split("\r\n");
        expect(lines).toHaveLength(1 + LISTED_ERRORS + 1);
        continue;
      }
      const sheet = readXls(report.bytes, { fileName: "errors.xls" }).sheets[0];
      const table = [...(sheet?.rows() ?? [])].map((r) => r.texts().map((t) => t ?? ""));
      expect(table).toHaveLength(1 + LISTED_ERRORS + 1);
      expect(table.slice(1, 3).map((r) => [r[0], r[3], r[5]])).toEqual([
        ["C2", "yes_no_invalid", "Error"],
        ["D2", "yes_no_invalid", "Error"],
      ]);
      // The last row is the count of what the list leaves out (its code column is empty).
      expect(table.at(-1)?.[3]).toBe("");
      expect(table.at(-1)?.[5]).toBe("Error");
      expect(table.at(-1)?.[4]).toContain("3000");
    }
  });
});
