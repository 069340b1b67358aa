import { createHash } from "node:crypto";
import { hashAll } from "../../adapters/password-hash-pool.js";
import { parseGroupPath, type GroupPath } from "../../directory/group-path.js";
import { parseNoteText } from "../../directory/note.js";
import type { Permission } from "../../directory/roles.js";
import { isAppError } from "../../errors/app-error.js";
import { analyzeSheets } from "../../import/analyze-sheet.js";
import { issueNowhere, type ImportIssue } from "../../import/import-issue.js";
import { IssueList } from "../../import/issue-list.js";
import type { ImportSheet } from "../../import/locate-checkpoint.js";
import { planImport, type ImportPlan } from "../../import/plan-import.js";
import { readXls, type XlsSheet } from "../../sheet/xls/read-xls.js";
import { saveImportFile } from "../../store/import-files-repository.js";
import {
  insertImport,
  isImportCancelRequested,
  updateImport,
  updateImportInStates,
} from "../../store/imports-repository.js";
import { isUniqueViolation } from "../../store/unique-violation.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, type ServiceContext, type Tx } from "../context.js";
import { queueImportFailedMail } from "./import-failure-mail.js";
import type { AnalysisOfKind, ImportRequest, ImportRun } from "./import-request.js";
import {
  EMPTY_SUMMARY,
  outcomeOf,
  recordFieldsOf,
  type ImportKind,
  type ImportOutcome,
  type ImportReport,
} from "./import-states.js";
import { loadDirectoryFacts, type LoadedFacts } from "./load-directory-facts.js";
import { ImportCancelled, throwIfCancelled } from "./import-cancellation.js";
import { samePlan } from "./save-previewed-import.js";
import { writeImportPlan } from "./write-import-plan.js";

// The import's state machine: uploaded -> validated (a preview) | saving -> saved, or failed from any of them.
// Every kind of import (users, delegates) runs through recordImport, analyzeUpload and finishImport; only
// reading the rows, planning and writing are the kind's own.

/** Preview Changes: validates everything, writes only the import record (validated or failed). */
export function previewImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runUserImport(context, request, false);
}

/** Save: validates against the directory as it is now, then writes everything in one transaction. */
export function saveImport(context: ServiceContext, request: ImportRequest): Promise<ImportOutcome> {
  return runUserImport(context, request, true);
}

async function runUserImport(
  context: ServiceContext,
  request: ImportRequest,
  save: boolean,
): Promise<ImportOutcome> {
  const groupPath = request.group === undefined ? undefined : parseGroupPath(request.group);
  const run = await recordImport(context, request, save, {
    kind: "users",
    permission: "import_users",
    options: {
      group: groupPath?.path ?? null,
      override: groupPath ? (request.override ?? "add") : null,
      uploadOnly: groupPath === undefined,
      ...(request.previewId === undefined ? {} : { previewId: request.previewId }),
    },
  });
  return whileNotCancelled(run, EMPTY_SUMMARY, () => planAndFinishUsers(run, groupPath));
}

async function planAndFinishUsers(run: ImportRun, groupPath: GroupPath | undefined): Promise<ImportOutcome> {
  const { context, request, save } = run;
  const analysis = await analyzeUpload(run, "users", analyzeSheets);
  if ("fileError" in analysis) return failUnreadable(run, analysis.fileError, EMPTY_SUMMARY);
  const where = { sheet: analysis.sheet, checkpoint: analysis.checkpoint };
  // Bounded whatever the file: the first issues of each severity, every one counted (issue-list.ts).
  const issues = IssueList.from({ issues: analysis.issues, counts: analysis.issueCounts });
  // One pass: past a sound header every row is planned, cell errors or not (the save still refuses them all).
  if (!analysis.map) {
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
  const rowCount = analysis.rows.length;
  request.onProgress?.({ stage: "checking", done: 0, total: rowCount });
  const loaded = await loadDirectoryFacts(
    context,
    run.account,
    run.actor,
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
  throwIfCancelled(run);
  const plan = planImport(analysis.rows, analysis.map, loaded.facts, analysis.dataRows);
  request.onProgress?.({ stage: "checking", done: rowCount, total: rowCount });
  issues.merge(plan.issues);
  if (request.expectedSummary && !samePlan(plan.summary, request.expectedSummary)) {
    issues.add(
      issueNowhere(
        "import_changed_since_preview",
        `The directory changed since the preview: the save would now create ${plan.summary.create} and update ${plan.summary.update} users (the preview showed ${request.expectedSummary.create} and ${request.expectedSummary.update}). Nothing was written: preview the file again, then save.`,
      ),
    );
  }
  const report: ImportReport = { ...where, summary: plan.summary, issues };
  return finishImport(run, report, () => prepareUserWrite(run, plan, loaded, groupPath));
}

/** Hashes the passwords the plan sets (before the transaction opens), then hands back the plan's writer. */
async function prepareUserWrite(
  run: ImportRun,
  plan: ImportPlan,
  loaded: LoadedFacts,
  groupPath: GroupPath | undefined,
): Promise<(tx: Tx) => Promise<void>> {
  const progress = run.request.onProgress;
  const toHash = plan.users.filter((u) => u.setPassword);
  const hashes = await hashAll(
    run.context.hasher,
    toHash.map((u) => u.source.password ?? ""),
    (done) => progress?.({ stage: "hashing", done, total: toHash.length }),
    run.request.signal,
  ).catch((error: unknown) => {
    throw run.request.signal?.aborted ? new ImportCancelled() : error;
  });
  const hashByKey = new Map(toHash.map((u, i) => [u.source.email.key, hashes[i] ?? ""]));
  progress?.({ stage: "saving", done: 0, total: plan.users.length });
  return (tx) =>
    writeImportPlan(tx, run, plan, {
      loaded,
      hashes: hashByKey,
      note: run.note,
      groupId: groupPath === undefined ? undefined : loaded.groupId,
    });
}

/** What tells the kinds of import apart in their record: the kind, the permission it needs, its options. */
export interface ImportKindRecord {
  readonly kind: ImportKind;
  readonly permission: Permission;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * -> uploaded: checks the note, resolves the account within the actor's reach, authorizes, and writes the
 * import record before the file is read. A refusal here throws: there is nothing to record yet.
 */
export async function recordImport(
  context: ServiceContext,
  request: ImportRequest,
  save: boolean,
  record: ImportKindRecord,
): Promise<ImportRun> {
  const note = request.note === undefined ? null : parseNoteText(request.note);
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  // Reads only, so outside a transaction: on SQLite that waits for no write in progress.
  const actor = await authorize(context.db, context.actor, account.id, record.permission);
  const now = context.now().toISOString();
  const id = newId();
  await insertImport(context.db, {
    id,
    account_id: account.id,
    actor: actor.name,
    state: "uploaded",
    kind: record.kind,
    file_name: request.fileName,
    sha256: createHash("sha256").update(request.bytes).digest("hex"),
    options_json: JSON.stringify(record.options),
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
    cancel_requested_at: null,
    created_at: now,
    updated_at: now,
  });
  // The upload's bytes, for the import's results file (kept 7 days).
  await saveImportFile(context.db, { importId: id, bytes: request.bytes, createdAt: now });
  request.onRecorded?.(id);
  return { context, request, id, kind: record.kind, account, actor, save, note };
}

/**
 * bytes -> the kind's parsed rows: in the request's analyzer (the server's sheet worker) when it has one,
 * else in process with `inProcess`.
 */
export async function analyzeUpload<K extends ImportKind>(
  run: ImportRun,
  kind: K,
  inProcess: (sheets: readonly ImportSheet[], onProgress: (rowsRead: number) => void) => AnalysisOfKind[K],
): Promise<AnalysisOfKind[K] | { fileError: ImportIssue }> {
  const { request } = run;
  const analysis = request.analyze
    ? await request.analyze(request.bytes, request.fileName, request.onProgress, kind)
    : readAndAnalyze(request, inProcess);
  throwIfCancelled(run);
  return analysis;
}

/** An unreadable file is a processing failure in a preview too: the importer hears of it. */
export function failUnreadable<S>(
  run: ImportRun,
  fileError: ImportIssue,
  summary: S,
): Promise<ImportOutcome<S>> {
  return failImport(run, { sheet: null, checkpoint: null, summary, issues: IssueList.of([fileError]) }, true);
}

/**
 * A planned import's end: failed when the report has errors, validated for a preview, else saving ->
 * saved: `prepare` does the slow work outside the transaction (hashing) and hands back the writer, which
 * runs with the record's `saved` state in one transaction.
 */
export async function finishImport<S>(
  run: ImportRun,
  report: ImportReport<S>,
  prepare: () => Promise<(tx: Tx) => Promise<void>>,
): Promise<ImportOutcome<S>> {
  const { context, id } = run;
  if (report.issues.hasErrors()) return failImport(run, report, run.save);
  if (!run.save) {
    // Guarded: a preview cancelled (from any server) since its last check point ends cancelled, not validated.
    const moved = await updateImportInStates(
      context.db,
      id,
      ["uploaded"],
      { state: "validated", ...recordFieldsOf(report), updated_at: context.now().toISOString() },
      true,
    );
    if (!moved && (await isImportCancelRequested(context.db, id))) return failCancelled(run, report.summary);
    return outcomeOf(run, report, false);
  }
  await updateImport(context.db, id, { state: "saving", updated_at: context.now().toISOString() });
  try {
    const write = await prepare();
    await context.db.transaction().execute(async (tx) => {
      await write(tx);
      // Guarded: when another server has failed this import as interrupted (no heartbeat from this one
      // within its lease), the save rolls back rather than write behind that record's back.
      // And not cancelled: a cancel recorded by any server before this commit wins, and nothing is written.
      const moved = await updateImportInStates(
        tx,
        id,
        ["saving"],
        { state: "saved", ...recordFieldsOf(report), updated_at: context.now().toISOString() },
        true,
      );
      if (!moved) throw new LeaseLost();
    });
  } catch (error) {
    if (error instanceof ImportCancelled || (await isImportCancelRequested(context.db, id))) {
      return failCancelled(run, report.summary);
    }
    // Already failed (and its importer told) by the server that found it interrupted: nothing to add.
    if (error instanceof LeaseLost) return outcomeOf(run, report, false);
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

/** The import's record left `saving` while this server worked on it (another server failed it). */
class LeaseLost extends Error {}

/** Runs an import's steps; a cancel at any check point ends it failed with import_cancelled. */
export async function whileNotCancelled<S>(
  run: ImportRun,
  summary: S,
  steps: () => Promise<ImportOutcome<S>>,
): Promise<ImportOutcome<S>> {
  try {
    return await steps();
  } catch (error) {
    if (error instanceof ImportCancelled) return failCancelled(run, summary);
    throw error;
  }
}

/** -> failed with import_cancelled; no failure mail: the importer (or a colleague) asked for it. */
function failCancelled<S>(run: ImportRun, summary: S): Promise<ImportOutcome<S>> {
  const issue = issueNowhere(
    "import_cancelled",
    run.save
      ? "Cancelled before it was saved: nothing was written."
      : "Cancelled while previewing: nothing was written.",
  );
  return failImport(run, { sheet: null, checkpoint: null, summary, issues: IssueList.of([issue]) }, false);
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * bytes -> cells -> parsed rows. In a function of its own so the workbook (65,535 rows of cell indexes)
 * is garbage once the rows are parsed, instead of staying alive through the save.
 */
function readAndAnalyze<A>(
  request: ImportRequest,
  analyze: (sheets: readonly ImportSheet[], onProgress: (rowsRead: number) => void) => A,
): A | { fileError: ImportIssue } {
  let sheets: readonly XlsSheet[];
  try {
    sheets = readXls(request.bytes, { fileName: request.fileName }).sheets;
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { fileError: issueNowhere(error.code, error.message) };
  }
  const total = sheets[0]?.rowCount ?? 0;
  return analyze(sheets, (done) =>
    request.onProgress?.({ stage: "reading", done, total: Math.max(done, total) }),
  );
}

/** -> failed: records the report and, when asked, queues the failure mail in the same transaction. */
export async function failImport<S>(
  run: ImportRun,
  report: ImportReport<S>,
  mail: boolean,
): Promise<ImportOutcome<S>> {
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
