import { describe, expect, it } from "vitest";
import { issueNowhere } from "../../import/import-issue.js";
import { IssueList } from "../../import/issue-list.js";
import type { ImportRow } from "../../store/imports-repository.js";
import { EMPTY_SUMMARY, mapImport, parseImportOptions, recordFieldsOf } from "./import-states.js";

const issue = (code: string): object => ({ code, cell: null, row: null, column: null, message: code });

function record(changes: Partial<ImportRow>): ImportRow {
  return {
    id: "i1",
    account_id: "a1",
    actor: "admin@example.com",
    state: "failed",
    file_name: "users.xls",
    sha256: "0",
    options_json: JSON.stringify({ group: null, override: null, uploadOnly: true }),
    note: null,
    sheet: null,
    checkpoint: null,
    summary_json: null,
    errors_json: "[]",
    warnings_json: "[]",
    issue_counts_json: null,
    error_count: 0,
    warning_count: 0,
    mode: null,
    kind: "users",
    cancel_requested_at: null,
    created_at: "2025-01-01T00:00:00.000Z",
    updated_at: "2025-01-01T00:00:00.000Z",
    ...changes,
  };
}

describe("import states", () => {
  it("reads the mode from its column, never from the options a record before 0008 kept it in", () => {
    const old = record({
      options_json: JSON.stringify({ group: "/Sales", override: "add", uploadOnly: false, mode: "save" }),
      mode: "save",
    });
    expect(parseImportOptions(old)).toEqual({
      options: { group: "/Sales", override: "add", uploadOnly: false },
      mode: "save",
    });
    expect(parseImportOptions(record({ mode: "something else" })).mode).toBeNull();
  });

  it("stores the counts of every issue beside the first ones listed", () => {
    const issues = IssueList.of(
      Array.from({ length: 1_005 }, () => issueNowhere("domain_not_internal", "not internal")),
      { errors: 1_000, warnings: 100 },
    );
    const fields = recordFieldsOf({ sheet: "Users", checkpoint: "A1", summary: EMPTY_SUMMARY, issues });
    expect((JSON.parse(fields.errors_json) as unknown[]).length).toBe(1_000);
    expect([fields.error_count, fields.warning_count]).toEqual([1_005, 0]);
  });

  it("counts a record's listed issues when it has no stored counts, or fewer than it lists", () => {
    const view = mapImport(
      record({
        errors_json: JSON.stringify([issue("import_interrupted")]),
        issue_counts_json: JSON.stringify({
          errorCount: 0,
          warningCount: 0,
          errorCounts: {},
          warningCounts: {},
          truncated: false,
        }),
      }),
    );
    expect([view.ok, view.errorCount, view.errorCounts, view.summary]).toEqual([
      false,
      1,
      { import_interrupted: 1 },
      EMPTY_SUMMARY,
    ]);
  });
});
