import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { isAppError } from "../../errors/app-error.js";
import { dispatchOutbox } from "../../services/dispatch-outbox.js";
import { dispatchOptionsFromEnv } from "../mail-options.js";
import { listImports, showImport } from "../../services/imports/import-queries.js";
import {
  EMPTY_SUMMARY,
  type GroupOverride,
  type ImportOutcome,
  type IssueView,
} from "../../services/imports/import-states.js";
import { importResultsFile } from "../../services/imports/results-file.js";
import { previewImport, saveImport } from "../../services/imports/run-import.js";
import { previewedImportRequest } from "../../services/imports/save-previewed-import.js";
import { cancelImport } from "../../services/imports/cancel-import.js";
import { listOutbox } from "../../services/outbox-service.js";
import { IMPORT_LEASE } from "../../jobs/import-leases.js";
import type { ImportProgress } from "../../services/imports/import-request.js";
import { commandHeartbeat } from "../command-heartbeat.js";
import { UsageError } from "../command-spec.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import {
  cancelOnInterrupt,
  checkNoteOption,
  importerContext,
  importVerdict,
  printImportOutcome,
  runImportFile,
} from "../import-file-io.js";
import { printJson, withDirectory } from "../directory-session.js";
import { defineListCommand, defineShowCommand } from "../read-commands.js";
import { describeForCli } from "../error-hints.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";
import { createProgressBar } from "../progress-bar.js";

/** An outcome for a failure that happened before the import could be recorded. */
export function refusedOutcome(file: string, code: string, message: string): ImportOutcome {
  return {
    ok: false,
    saved: false,
    importId: null,
    file,
    sheet: null,
    checkpoint: null,
    summary: EMPTY_SUMMARY,
    errors: [{ code, cell: null, row: null, column: null, message }],
    warnings: [],
    errorCount: 1,
    warningCount: 0,
    errorCounts: { [code]: 1 },
    warningCounts: {},
    truncated: false,
  };
}

/** "983,025 (the first 1,000 listed; yes_no_invalid 786,420, alias_invalid 196,605)" when some are left out. */
function countLine(listed: number, total: number, byCode: Readonly<Record<string, number>>): string {
  if (total <= listed) return `${total}`;
  const codes = Object.entries(byCode)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n.toLocaleString("en-US")}`)
    .join(", ");
  return `${total.toLocaleString("en-US")}; the first ${listed.toLocaleString("en-US")} listed; ${codes}`;
}

function issueTable(
  title: string,
  issues: readonly IssueView[],
  total: number,
  byCode: Readonly<Record<string, number>>,
): string[] {
  if (issues.length === 0) return [];
  const where = (i: IssueView): string => i.cell ?? (i.row === null ? "-" : `row ${i.row}`);
  // Never Math.max(...list): the arguments of a call live on the stack.
  const width = issues.reduce((w, i) => Math.max(w, where(i).length), 4);
  const codeWidth = issues.reduce((w, i) => Math.max(w, i.code.length), 4);
  return [
    "",
    `${title} (${countLine(issues.length, total, byCode)}):`,
    `  ${"cell".padEnd(width)}  ${"code".padEnd(codeWidth)}  message`,
    ...issues.map((i) => `  ${where(i).padEnd(width)}  ${i.code.padEnd(codeWidth)}  ${i.message}`),
  ];
}

/** What a user import's and a delegate import's outcomes share, all that their reports print besides counts. */
type ReportedOutcome = Pick<
  ImportOutcome,
  | "importId"
  | "file"
  | "sheet"
  | "checkpoint"
  | "errors"
  | "warnings"
  | "errorCount"
  | "warningCount"
  | "errorCounts"
  | "warningCounts"
>;

/**
 * An import's report: the title, its facts and counts as `label: value` (values aligned after `width`; a longer
 * label takes one space), the errors and warnings, and the verdict.
 */
export function importReport(
  title: string,
  outcome: ReportedOutcome,
  width: number,
  facts: readonly (readonly [label: string, value: string | number])[],
  verdict: string,
): string {
  return [
    `${title} (import ${outcome.importId ?? "not recorded"})`,
    ...facts.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`),
    ...issueTable("Errors", outcome.errors, outcome.errorCount, outcome.errorCounts),
    ...issueTable("Warnings", outcome.warnings, outcome.warningCount, outcome.warningCounts),
    "",
    verdict,
    "",
  ].join("\n");
}

function formatOutcome(outcome: ImportOutcome): string {
  const s = outcome.summary;
  return importReport(
    "Spreadsheet Information",
    outcome,
    21,
    [
      ["File", outcome.file],
      ["Import format", "Mimecast Import"],
      ["Sheet", outcome.sheet ?? "-"],
      ["Checkpoint cell", outcome.checkpoint ?? "-"],
      ["Rows read", s.rows],
      ["Users to create", s.create],
      ["Users to update", s.update],
      ["Users unchanged", s.unchanged],
      ["Aliases to add", s.aliasesAdded],
      ["Attributes to create", s.attributesCreated.length > 0 ? s.attributesCreated.join(", ") : "-"],
      ["Group members to add", s.groupAdded],
      ["Group members leaving", s.groupRemoved],
      ["Users whose type changes", s.typeChanged],
    ],
    importVerdict(outcome),
  );
}

/** Who imports: shared by the user and the delegate import. */
export const AS_OPTION = {
  as: {
    type: "string",
    value: "EMAIL",
    description: "The administrator who imports (default: the account's first Super Administrator).",
  },
} as const;

export const importCommand = defineCommand(
  {
    path: ["import"],
    summary: "Preview (or with --save, save) an import of users from an .xls spreadsheet.",
    positionals: [{ name: "FILE", description: "The .xls spreadsheet." }],
    options: {
      ...AS_OPTION,
      group: { type: "string", value: "PATH", description: "The profile group the users are placed in." },
      override: {
        type: "string",
        value: "add|overwrite",
        choices: ["add", "overwrite"],
        description: "add: keep the group's other members; overwrite: the sheet becomes the group.",
      },
      "upload-only": { type: "boolean", description: "Import the users without placing them in a group." },
      note: {
        type: "string",
        value: "TEXT",
        description: "A note attached to every user the file names (the same text never twice).",
      },
      save: { type: "boolean", description: "Save the import (without it, only preview)." },
      results: {
        type: "string",
        value: "OUT.xls|OUT.csv",
        description:
          "Also write the results file: the sheet with Status and Error columns, ready to fix and import again.",
      },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
    oneOf: [["group", "override"], ["upload-only"]],
  },
  async ({ positionals, options }, io) => {
    const override: GroupOverride | undefined = options.override;
    const note = options.note;
    checkNoteOption(note);
    const resultsPath = options.results;
    const resultsFormat = resultsPath === undefined ? undefined : extname(resultsPath).toLowerCase().slice(1);
    if (resultsFormat !== undefined && resultsFormat !== "xls" && resultsFormat !== "csv") {
      throw new UsageError("--results must name an .xls or a .csv file");
    }
    const bar = io.stderrIsTty === true ? createProgressBar(io.stderr) : undefined;
    return runImportFile({
      path: positionals.FILE,
      json: options.json,
      io,
      refused: refusedOutcome,
      format: formatOutcome,
      onThrow: () => bar?.finish(false),
      run: (fileName, bytes) =>
        withDirectory(options.db, async (context) => {
          const importer = await importerContext(context, options.as, options.account);
          const interrupt = cancelOnInterrupt(io);
          const heartbeat = commandHeartbeat(IMPORT_LEASE, context);
          const request = {
            fileName,
            bytes,
            account: options.account,
            group: options.group,
            override,
            note,
            onRecorded: heartbeat.start,
            onProgress: (progress: ImportProgress) => {
              bar?.update(progress);
              heartbeat.progress(progress);
            },
            signal: interrupt.signal,
          };
          const result = await (options.save ? saveImport : previewImport)(importer, request).finally(
            async () => {
              interrupt.dispose();
              await heartbeat.end();
            },
          );
          bar?.finish(result.ok);
          if (resultsPath !== undefined && result.importId !== null) {
            try {
              const format = resultsFormat === "csv" ? "csv" : "xls";
              writeFileSync(resultsPath, (await importResultsFile(importer, result.importId, format)).bytes);
            } catch (error) {
              // The outcome still prints: the results file is an extra.
              if (!isAppError(error)) throw error;
              io.stderr(`${describeForCli(error)}\n`);
            }
          }
          // After commit: send what the import queued (the failure mail); without SMTP_URL it stays queued.
          await dispatchOutbox(context.db, dispatchOptionsFromEnv(context.now));
          return result;
        }),
    });
  },
);

export const importsSaveCommand = defineCommand(
  {
    path: ["imports", "save"],
    summary:
      "Save a clean preview's upload, kept with it (no second upload); writes nothing and fails with import_changed_since_preview when the directory changed since the preview.",
    positionals: [
      { name: "ID", description: "The clean preview's import id, as import and imports list show it." },
    ],
    options: { ...AS_OPTION, ...JSON_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const bar = io.stderrIsTty === true ? createProgressBar(io.stderr) : undefined;
    const spec = { json: options.json, io, format: formatOutcome };
    try {
      const outcome = await withDirectory(options.db, async (context) => {
        const request = await previewedImportRequest(context, positionals.ID);
        const importer = await importerContext(context, options.as, request.account);
        const interrupt = cancelOnInterrupt(io);
        const heartbeat = commandHeartbeat(IMPORT_LEASE, context);
        const result = await saveImport(importer, {
          ...request,
          onRecorded: heartbeat.start,
          onProgress: (progress) => {
            bar?.update(progress);
            heartbeat.progress(progress);
          },
          signal: interrupt.signal,
        }).finally(async () => {
          interrupt.dispose();
          await heartbeat.end();
        });
        bar?.finish(result.ok);
        await dispatchOutbox(context.db, dispatchOptionsFromEnv(context.now));
        return result;
      });
      return printImportOutcome(outcome, spec);
    } catch (error) {
      bar?.finish(false);
      if (!options.json || !isAppError(error) || error.code === "usage") throw error;
      return printImportOutcome(refusedOutcome(positionals.ID, error.code, describeForCli(error)), spec);
    }
  },
);

export const importsCancelCommand = defineCommand(
  {
    path: ["imports", "cancel"],
    summary:
      "Cancel a preview or save a server is running: it stops at its next check point, at the latest before its commit, and ends failed with import_cancelled, nothing written.",
    positionals: [{ name: "ID", description: "The running import's id, as imports list shows it." }],
    options: { ...JSON_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const answer = await withDirectory(options.db, (context) => cancelImport(context, positionals.ID));
    if (options.json) printJson(answer, io.stdout);
    else
      io.stdout(
        `Cancel requested for import ${answer.importId}: nothing it has not committed will be written.\n`,
      );
    return EXIT_OK;
  },
);

export const importsListCommand = defineListCommand(
  {
    path: ["imports", "list"],
    summary: "List every import, newest first: who, when, file, state and summary.",
  },
  async (context, request) => (await listImports(context, request)).reverse(),
  (i) =>
    `${i.importId ?? ""}  ${i.at}  ${i.state.padEnd(9)}  ${i.by}  ${i.file}  ` +
    `create ${i.summary.create}, update ${i.summary.update}, unchanged ${i.summary.unchanged}, errors ${i.errorCount}\n`,
);

export const importsShowCommand = defineShowCommand(
  {
    path: ["imports", "show"],
    summary: "Show one import: options, note, summary, errors and warnings.",
    positional: { name: "ID", description: "The import's id, as imports list shows it." },
  },
  showImport,
  (view) =>
    `State: ${view.state}, by ${view.by} at ${view.at}, SHA-256 ${view.sha256}\n` + formatOutcome(view),
);

export const outboxListCommand = defineCommand(
  {
    path: ["outbox", "list"],
    summary: "List the mail in the outbox (queued, sent, failed).",
    positionals: [],
    options: { ...JSON_OPTION, ...DB_OPTION },
  },
  async ({ options }, io) => {
    const mails = await withDirectory(options.db, (context) => listOutbox(context));
    if (options.json) printJson(mails, io.stdout);
    else for (const m of mails) io.stdout(`${m.createdAt}  ${m.state.padEnd(6)}  ${m.to}  ${m.subject}\n`);
    return EXIT_OK;
  },
);

export const IMPORT_COMMANDS: readonly CliCommand[] = [
  importCommand,
  importsSaveCommand,
  importsCancelCommand,
  importsListCommand,
  importsShowCommand,
  outboxListCommand,
];
