import { createHash } from "node:crypto";
import { hashAll } from "../../adapters/password-hash-pool.js";
import { parseGroupPath, type GroupPath } from "../../directory/group-path.js";
import { parseNoteText } from "../../directory/note.js";
import { isAppError } from "../../errors/app-error.js";
import { analyzeSheets, type SheetAnalysis } from "../../import/analyze-sheet.js";
import { issueNowhere, type ImportIssue } from "../../import/import-issue.js";
import { IssueList } from "../../import/issue-list.js";
import { planImport, type ImportPlan } from "../../import/plan-import.js";
import { readXls, type XlsSheet } from "../../sheet/xls/read-xls.js";
import { insertImport, updateImport } from "../../store/imports-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, type ServiceContext } from "../context.js";
import { queueImportFailedMail } from "./import-failure-mail.js";
import type { ImportRequest, ImportRun } from "./import-request.js";
import {
  EMPTY_SUMMARY,
  outcomeOf,
  recordFieldsOf,
  type ImportOutcome,
  type ImportReport,
} from "./import-states.js";
import { loadDirectoryFacts, type LoadedFacts } from "./load-directory-facts.js";
import { writeImportPlan } from "./write-import-plan.js";

// The import's state machine: uploaded -> validated (a preview) | saving -> saved, or failed from any of them.

/** Preview Changes: validates everything, writes only the import record (validated or failed). */
export function previewImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runImport(context, request, false);
}

/** Save: validates against the directory as it is now, then writes everything in one transaction. */
export function saveImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runImport(context, request, true);
}

async function runImport(
  context: ServiceContext,
  request: ImportRequest,
  save: boolean,
): Promise<ImportOutcome> {
  const note = request.note === undefined ? null : parseNoteText(request.note);
  const groupPath = request.group === undefined ? undefined : parseGroupPath(request.group);
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  // Reads only, so outside a transaction: on SQLite that waits for no write in progress.
  const actor = await authorize(context.db, context.actor, account.id, "import_users");
  const now = context.now().toISOString();
  const id = newId();
  await insertImport(context.db, {
    id,
    account_id: account.id,
    actor: actor.name,
    state: "uploaded",
    file_name: request.fileName,
    sha256: createHash("sha256").update(request.bytes).digest("hex"),
    options_json: JSON.stringify({
      group: groupPath?.path ?? null,
      override: groupPath ? (request.override ?? "add") : null,
      uploadOnly: groupPath === undefined,
    }),
    mode: save ? "save" : "preview",
    note,
    sheet: null,
    checkpoint: null,
    summary_json: null,
    errors_json: "[]",
    warnings_json: "[]",
    issue_counts_json: null,
    error_count: 0,
    warning_count: 0,
    created_at: now,
    updated_at: now,
  });
  request.onRecorded?.(id);
  const run: ImportRun = { context, request, id, account, actor, save };

  const analysis = request.analyze
    ? await request.analyze(request.bytes, request.fileName, request.onProgress)
    : readAndAnalyze(request);
  if ("fileError" in analysis) {
    // An unreadable file is a processing failure in a preview too: the importer hears of it.
    return failImport(
      run,
      { sheet: null, checkpoint: null, summary: EMPTY_SUMMARY, issues: IssueList.of([analysis.fileError]) },
      true,
    );
  }
  const where = { sheet: analysis.sheet, checkpoint: analysis.checkpoint };
  // Bounded whatever the file: the first issues of each severity, every one counted (issue-list.ts).
  const issues = IssueList.from({ issues: analysis.issues, counts: analysis.issueCounts });
  if (!analysis.map || issues.hasErrors()) {
    return failImport(
      run,
      { ...where, summary: { ...EMPTY_SUMMARY, rows: analysis.dataRows }, issues },
      save,
    );
  }
  // Receiving the worker's analysis, loading the directory and planning each hold the main thread for up to
  // ~0.1 s on 65,535 rows (SQLite answers synchronously, so the awaits alone never let a request in): the
  // server answers other requests between them.
  await yieldToEventLoop();
  const loaded = await loadDirectoryFacts(
    context,
    account,
    actor,
    analysis.rows,
    groupPath?.key,
    request.override ?? "add",
  );
  if (groupPath && !loaded.facts.group) {
    issues.add(
      issueNowhere("group_not_found", `There is no profile group "${groupPath.path}": create it first.`),
    );
  }
  await yieldToEventLoop();
  const plan = planImport(analysis.rows, analysis.map, loaded.facts, analysis.dataRows);
  issues.merge(plan.issues);
  const report: ImportReport = { ...where, summary: plan.summary, issues };
  if (issues.hasErrors()) return failImport(run, report, save);
  if (!save) {
    await updateImport(context.db, id, {
      state: "validated",
      ...recordFieldsOf(report),
      updated_at: context.now().toISOString(),
    });
    return outcomeOf(run, report, false);
  }
  return savePlan(run, report, plan, { loaded, note, groupPath });
}

/** saving -> saved: hashes the passwords the plan sets, then writes the plan and the record in one transaction. */
async function savePlan(
  run: ImportRun,
  report: ImportReport,
  plan: ImportPlan,
  saving: { loaded: LoadedFacts; note: string | null; groupPath: GroupPath | undefined },
): Promise<ImportOutcome> {
  const { context, id } = run;
  const { loaded, note, groupPath } = saving;
  const progress = run.request.onProgress;
  await updateImport(context.db, id, { state: "saving", updated_at: context.now().toISOString() });
  try {
    const toHash = plan.users.filter((u) => u.setPassword);
    const hashes = await hashAll(
      context.hasher,
      toHash.map((u) => u.source.password ?? ""),
      (done) => progress?.({ stage: "hashing", done, total: toHash.length }),
    );
    const hashByKey = new Map(toHash.map((u, i) => [u.source.email.key, hashes[i] ?? ""]));
    progress?.({ stage: "saving", done: 0, total: plan.users.length });
    await context.db.transaction().execute(async (tx) => {
      await writeImportPlan(tx, run, plan, {
        loaded,
        hashes: hashByKey,
        note,
        groupId: groupPath === undefined ? undefined : loaded.groupId,
      });
      await updateImport(tx, id, {
        state: "saved",
        ...recordFieldsOf(report),
        updated_at: context.now().toISOString(),
      });
    });
  } catch (error) {
    // A crash mid-way: the transaction rolled back, so nothing was written; record it and tell the importer.
    const issue = isUniqueViolation(error)
      ? issueNowhere(
          "import_conflict",
          "While this import was saving, another change took an address (or a key) it was about to write, " +
            "so nothing was written: preview the file again to see which rows that change affects, then save.",
        )
      : issueNowhere(
          "import_failed",
          `Saving failed and nothing was written: ${isAppError(error) || error instanceof Error ? error.message : String(error)}`,
        );
    report.issues.add(issue);
    return failImport(run, report, true);
  }
  return outcomeOf(run, report, true);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A unique key refused a row: someone else wrote the same address (or key) between this import's check of
 * the directory and its transaction. SQLite's and PostgreSQL's (also PGlite's) codes for it.
 */
function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = error.code;
  return code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "23505";
}

/**
 * bytes -> cells -> parsed rows. In a function of its own so the workbook (65,535 rows of cell indexes)
 * is garbage once the rows are parsed, instead of staying alive through the save.
 */
function readAndAnalyze(request: ImportRequest): SheetAnalysis | { fileError: ImportIssue } {
  let sheets: readonly XlsSheet[];
  try {
    sheets = readXls(request.bytes, { fileName: request.fileName }).sheets;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { fileError: issueNowhere(error.code, error.message) };
  }
  const total = sheets[0]?.rowCount ?? 0;
  return analyzeSheets(sheets, (done) =>
    request.onProgress?.({ stage: "reading", done, total: Math.max(done, total) }),
  );
}

/** -> failed: records the report and, when asked, queues the failure mail in the same transaction. */
async function failImport(run: ImportRun, report: ImportReport, mail: boolean): Promise<ImportOutcome> {
  const { context } = run;
  const result = outcomeOf(run, report, false);
  await context.db.transaction().execute(async (tx) => {
    await updateImport(tx, run.id, {
      state: "failed",
      ...recordFieldsOf(report),
      updated_at: context.now().toISOString(),
    });
    if (mail && context.actor.kind === "user") {
      await queueImportFailedMail(tx, context, context.actor.email, {
        importId: run.id,
        account: run.account,
        outcome: result,
      });
    }
  });
  return result;
}
