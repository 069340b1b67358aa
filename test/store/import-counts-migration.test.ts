import { sql, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import * as m0008 from "../../src/store/migrations/0008-import-counts-columns.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { exampleForMigration } from "../support/migration-example.js";

/** An import record as the code before migration 0008 wrote it: counts and mode only inside its JSON. */
function oldRecord(
  id: string,
  accountId: string,
  json: { options: object; errors: unknown[]; warnings: unknown[]; counts: object | null },
): Record<string, string | null> {
  return {
    id,
    account_id: accountId,
    actor: "admin@example.com",
    state: "failed",
    file_name: `${id}.xls`,
    sha256: "0",
    options_json: JSON.stringify(json.options),
    errors_json: JSON.stringify(json.errors),
    warnings_json: JSON.stringify(json.warnings),
    issue_counts_json: json.counts === null ? null : JSON.stringify(json.counts),
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
  };
}

const issue = (code: string): object => ({ code, cell: null, row: null, column: null, message: code });
const options = { group: null, override: null, uploadOnly: true };

describe.each(DIALECTS)("migration 0008 (import counts as columns) on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("backfills the counts and the mode from the JSON, and down() puts the mode back", async () => {
    const { accountId, db } = await exampleForMigration(getDb());
    // In a transaction, as the migrator runs each migration.
    const migrate = (step: (tx: Kysely<unknown>) => Promise<void>): Promise<void> =>
      db.transaction().execute(step);
    await migrate(m0008.down);
    const rows = [
      // Counted (0007), the lists cut short: the counts win.
      oldRecord("counted", accountId, {
        options: { ...options, mode: "save" },
        errors: [issue("a"), issue("b")],
        warnings: [issue("w")],
        counts: { errorCount: 1500, warningCount: 120, errorCounts: {}, warningCounts: {}, truncated: true },
      }),
      // Older than the counts: the lists hold every issue.
      oldRecord("listed", accountId, {
        options: { ...options, mode: "preview" },
        errors: [issue("a"), issue("b"), issue("c")],
        warnings: [],
        counts: null,
      }),
      // Failed by the recovery: its error appended to the list, not to the counts; older than the mode.
      oldRecord("recovered", accountId, {
        options,
        errors: [issue("import_interrupted")],
        warnings: [],
        counts: { errorCount: 0, warningCount: 0, errorCounts: {}, warningCounts: {}, truncated: false },
      }),
    ];
    // The table as it stood before 0008, which schema.ts no longer describes.
    const before = db as Kysely<{ imports: Record<string, string | null> }>;
    for (const row of rows) await before.insertInto("imports").values(row).execute();

    await migrate(m0008.up);
    const read = async (): Promise<unknown[]> =>
      (
        await sql<{
          id: string;
          error_count: number | string;
          warning_count: number | string;
          mode: string | null;
        }>`
          select id, error_count, warning_count, mode from imports order by id`.execute(db)
      ).rows.map((r) => [r.id, Number(r.error_count), Number(r.warning_count), r.mode]);
    expect(await read()).toEqual([
      ["counted", 1500, 120, "save"],
      ["listed", 3, 0, "preview"],
      ["recovered", 1, 0, null],
    ]);

    await sql`update imports set options_json = ${JSON.stringify(options)}`.execute(db);
    await migrate(m0008.down);
    const restored = await sql<{ id: string; options_json: string }>`
      select id, options_json from imports order by id`.execute(db);
    expect(restored.rows.map((r) => [r.id, (JSON.parse(r.options_json) as { mode?: string }).mode])).toEqual([
      ["counted", "save"],
      ["listed", "preview"],
      ["recovered", undefined],
    ]);
    await migrate(m0008.up);
  });
});
