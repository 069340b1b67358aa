import { DELEGATE_PERMISSION } from "../../directory/delegate-rules.js";
import {
  EMPTY_DELEGATE_SUMMARY,
  planDelegates,
  type DelegateSummary,
} from "../../import/delegates/plan-delegates.js";
import { analyzeDelegateSheets } from "../../import/delegates/read-delegate-sheet.js";
import { IssueList } from "../../import/issue-list.js";
import type { ServiceContext } from "../context.js";
import type { ImportRequest } from "../imports/import-request.js";
import type { ImportOutcome } from "../imports/import-states.js";
import {
  analyzeUpload,
  failImport,
  failUnreadable,
  whileNotCancelled,
  finishImport,
  recordImport,
  yieldToEventLoop,
} from "../imports/run-import.js";
import { loadDelegateFacts } from "./load-delegate-facts.js";
import { writeDelegatePlan } from "./write-delegate-plan.js";

/** The Spreadsheet Information of a delegate import: `mailroster delegates import --json`. */
export type DelegateImportOutcome = ImportOutcome<DelegateSummary>;

/** A delegate import's request: the user import's, without the group (pairs go in no group). */
export type DelegateImportRequest = Omit<ImportRequest, "group" | "override">;

/** Preview Changes of a delegate sheet: writes only the import record (validated or failed). */
export function previewDelegateImport(
  context: ServiceContext,
  request: DelegateImportRequest,
): Promise<DelegateImportOutcome> {
  return runDelegateImport(context, request, false);
}

/** Save: the whole file or nothing, with an audit row per change, in one transaction. */
export function saveDelegateImport(
  context: ServiceContext,
  request: DelegateImportRequest,
): Promise<DelegateImportOutcome> {
  return runDelegateImport(context, request, true);
}

// The same state machine and record as the user import (run-import.ts), with kind "delegates".
async function runDelegateImport(
  context: ServiceContext,
  request: DelegateImportRequest,
  save: boolean,
): Promise<DelegateImportOutcome> {
  const run = await recordImport(context, request, save, {
    kind: "delegates",
    permission: DELEGATE_PERMISSION,
    options: { group: null, override: null, uploadOnly: true },
  });
  // A cancel at any check point (the file read, the commit) ends it failed with import_cancelled.
  return whileNotCancelled(run, EMPTY_DELEGATE_SUMMARY, async () => {
    const analysis = await analyzeUpload(run, "delegates", analyzeDelegateSheets);
    if ("fileError" in analysis) return failUnreadable(run, analysis.fileError, EMPTY_DELEGATE_SUMMARY);
    const where = { sheet: analysis.sheet, checkpoint: analysis.checkpoint };
    const issues = IssueList.from({ issues: analysis.issues, counts: analysis.issueCounts });
    if (analysis.checkpoint === null) {
      return failImport(run, { ...where, summary: EMPTY_DELEGATE_SUMMARY, issues }, save);
    }
    // The rows that read well are checked against the directory even when others did not: a pair costs
    // little to check, and the importer sees every problem of the file at once.
    await yieldToEventLoop();
    const facts = await loadDelegateFacts(context.db, run.account.id, analysis.rows);
    const plan = planDelegates(analysis.rows, facts, analysis.dataRows);
    issues.merge(plan.issues);
    return finishImport(run, { ...where, summary: plan.summary, issues }, () => {
      request.onProgress?.({ stage: "saving", done: 0, total: plan.adds.length + plan.removes.length });
      return Promise.resolve((tx) => writeDelegatePlan(tx, run, plan));
    });
  });
}
