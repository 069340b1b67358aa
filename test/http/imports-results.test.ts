import { describe, expect, it } from "vitest";
import { readXls } from "../../src/sheet/xls/read-xls.js";
import { writeXls, type XlsValue } from "../../src/sheet/xls/write-xls.js";
import { errorCode } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { INTO_LONDON, setUpImportApi, waitForImport, xlsUpload } from "../support/imports-api.js";

/** A workbook's first sheet as text, "" for an empty cell. */
function table(bytes: Uint8Array): string[][] {
  const sheet = readXls(bytes, { fileName: "results.xls" }).sheets[0];
  return [...(sheet?.rows() ?? [])].map((r) => Array.from(r.texts(), (t) => t ?? ""));
}

describe.each(DIALECTS)("import results file on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("lists every kind of error in one preview, hands back the sheet with Status and Error, and re-imports it", async () => {
    const { admin, imports, context } = await setUpImportApi(getDb());
    const upload = xlsUpload([
      ["email", "name", "pop", "emial", null, "stray"],
      // A bad flag cell and a foreign domain in one row: both are reported.
      ["amy@elsewhere.test", "Amy Pond", "maybe", "x", null, "kept"],
      ["rory@example.com", "Rory Williams", "yes", "y", null, null],
      ["clara example.com", "=Clara", "no", "z", null, null],
    ]);
    const preview = await admin.upload("/imports/preview", INTO_LONDON, [upload]);
    expect(preview.json.ok).toBe(false);
    const errors = (preview.json.errors as { code: string; cell: string }[]).map((e) => [e.code, e.cell]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ["yes_no_invalid", "C2"],
        ["domain_not_internal", "A2"],
        ["email_invalid", "A4"],
      ]),
    );
    const warnings = (preview.json.warnings as { code: string; cell: string }[]).map((w) => [w.code, w.cell]);
    expect(warnings).toContainEqual(["attribute_will_be_created", "D1"]);
    const id = String(preview.json.importId);

    const results = await admin.download(`/imports/${id}/results.xls`);
    expect(results.status).toBe(200);
    expect(results.headers.get("content-disposition")).toMatch(/filename="users-results\.xls"/);
    const grid = table(results.bytes);
    // Status and Error right of the last header column; the column beyond the gap moves two over.
    expect(grid[0]).toEqual(["email", "name", "pop", "emial", "Status", "Error", "", "stray"]);
    expect(grid[1]?.slice(4, 6)).toEqual(["Error", expect.stringContaining("elsewhere.test")]);
    expect(grid[1]?.[7]).toBe("kept");
    expect(grid[2]?.slice(4, 6)).toEqual(["Skipped", ""]);
    expect(grid[3]?.[4]).toBe("Error");
    // Kept as typed in the .xls (a text cell is never evaluated); the CSV neutralises it.
    expect(grid[3]?.[1]).toBe("=Clara");
    const csv = await admin.download(`/imports/${id}/results.csv`);
    expect(csv.status).toBe(200);
    const csvText = new TextDecoder().decode(csv.bytes);
    expect(csvText).toContain(`"'=Clara"`);
    expect(csvText).toContain(`"Status","Error"`);

    // Fixed in the results file itself and uploaded again: Status and Error are ignored.
    const fixed: XlsValue[][] = grid.map((row) => row.slice(0, 6));
    fixed[1] = ["amy@example.com", "Amy Pond", "no", "x", "Error", "old message"];
    fixed[3] = ["clara@example.com", "Clara", "no", "z", "Error", "old message"];
    const again = { name: "users.xls", bytes: writeXls([{ name: "Users", rows: fixed }]) };
    const clean = await admin.upload("/imports/preview", INTO_LONDON, [again]);
    expect(clean.json).toMatchObject({
      ok: true,
      summary: { rows: 3, create: 3, attributesCreated: ["emial"] },
    });
    const started = await admin.upload("/imports/save", INTO_LONDON, [again]);
    const saveId = String(started.json.importId);
    const { view } = await waitForImport(admin, saveId);
    expect(view.state).toBe("saved");
    const saved = table((await admin.download(`/imports/${saveId}/results.xls`)).bytes);
    expect(saved[0]?.slice(4, 6)).toEqual(["Status", "Error"]);
    expect(saved.slice(1).map((r) => r[4])).toEqual(["Created", "Created", "Created"]);

    // Saved again unchanged: every row reads Unchanged.
    const third = await admin.upload("/imports/save", INTO_LONDON, [again]);
    const thirdId = String(third.json.importId);
    await waitForImport(admin, thirdId);
    const unchanged = table((await admin.download(`/imports/${thirdId}/results.xls`)).bytes);
    expect(unchanged.slice(1).map((r) => r[4])).toEqual(["Unchanged", "Unchanged", "Unchanged"]);

    // Once the upload's bytes are pruned there is no results file, said with a code.
    await context.db.deleteFrom("import_files").where("import_id", "=", id).execute();
    const gone = await admin.call("GET", `/imports/${id}/results.xls`);
    expect(gone.status).toBe(409);
    expect(errorCode(gone.json)).toBe("import_results_unavailable");
    await imports.close();
  });
});
