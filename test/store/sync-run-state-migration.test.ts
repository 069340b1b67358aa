import { type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import * as m0009 from "../../src/store/migrations/0009-sync-run-state.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { exampleForMigration } from "../support/migration-example.js";

/** A run as the code before migration 0009 wrote it: finished, with its status and its list of errors. */
function oldRun(id: string, accountId: string, status: string, errors: number): Record<string, unknown> {
  const error = { connector: "corp", code: "domain_not_internal", message: "entry skipped" };
  return {
    id,
    account_id: accountId,
    started_at: `2025-01-0${id.length}T00:00:00.000Z`,
    finished_at: `2025-01-0${id.length}T00:01:00.000Z`,
    status,
    created: 1,
    updated: 0,
    reclaimed: 0,
    flagged: 0,
    removed: 0,
    errors_json: JSON.stringify(Array.from({ length: errors }, () => error)),
  };
}

describe.each(DIALECTS)("migration 0009 (sync run state) on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("keeps every run, gives it a state and its error count, and down() ends a running run", async () => {
    const { context, accountId, db } = await exampleForMigration(getDb());
    // As the migrator runs it: in a transaction on PostgreSQL; SQLite's rebuild opens its own.
    const migrate = (step: (db: Kysely<unknown>) => Promise<void>): Promise<void> =>
      dialect === "postgres" ? db.transaction().execute(step) : step(db);

    const running = {
      ...oldRun("running", accountId, "running", 0),
      finished_at: null,
      state: "running",
      actor: "serve",
      connector_count: 1,
      error_count: 0,
      error_counts_json: "{}",
      connectors_json: "[]",
      failure_code: null,
      failure_message: null,
    };
    await db
      .insertInto("sync_runs" as never)
      .values(running)
      .execute();
    await migrate(m0009.down);
    const [ended] = await db
      .selectFrom("sync_runs" as never)
      .selectAll()
      .execute();
    expect(ended).toMatchObject({ id: "running", status: "failed", finished_at: "2025-01-07T00:00:00.000Z" });

    await db
      .insertInto("sync_runs" as never)
      .values([
        oldRun("ok", accountId, "ok", 0),
        oldRun("part", accountId, "partial", 2),
        oldRun("fail", accountId, "failed", 1),
      ] as never)
      .execute();
    await migrate(m0009.up);
    const rows = await context.db
      .selectFrom("sync_runs")
      .select([
        "id",
        "state",
        "status",
        "error_count",
        "finished_at",
        "actor",
        "connectors_json",
        "failure_code",
      ])
      .orderBy("id")
      .execute();
    expect(rows.map((r) => [r.id, r.state, r.status, r.error_count])).toEqual([
      ["fail", "failed", "failed", 1],
      ["ok", "done", "ok", 0],
      ["part", "done", "partial", 2],
      ["running", "failed", "failed", 0],
    ]);
    expect(rows[1]).toMatchObject({ actor: "", connectors_json: "[]", failure_code: null });
    // A new run may be recorded without an end.
    await context.db.updateTable("sync_runs").set({ finished_at: null }).where("id", "=", "ok").execute();
  });
});
