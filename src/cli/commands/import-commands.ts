import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { MAX_NOTE_LENGTH } from "../../directory/note.js";
import { isAppError } from "../../errors/app-error.js";
import { dispatchOptionsFromEnv, dispatchOutbox } from "../../jobs/outbox-dispatcher.js";
import {
  EMPTY_SUMMARY,
  findDefaultImporter,
  listImports,
  previewImport,
  saveImport,
  showImport,
  type GroupOverride,
  type ImportOutcome,
  type IssueView,
} from "../../services/imports-service.js";
import { listOutbox } from "../../services/outbox-service.js";
import { EXIT_OK, EXIT_REFUSED, UsageError, type CliCommand, type CliIo } from "../command.js";
import {
  ACCOUNT_OPTION,
  DB_OPTION,
  JSON_OPTION,
  printJson,
  requireOne,
  withDirectory,
} from "../directory-session.js";
import { createProgressBar } from "../progress-bar.js";

function parseOverride(text: string | undefined): GroupOverride | undefined {
  if (text === undefined || text === "add" || text === "overwrite") return text;
  throw new UsageError(`--override is add or overwrite, not "${text}"`);
}

/** An outcome for a failure that happened before the import could be recorded. */
function refusedOutcome(file: string, code: string, message: string): ImportOutcome {
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

function formatOutcome(outcome: ImportOutcome): string {
  const s = outcome.summary;
  const verdict = outcome.saved
    ? "Saved."
    : outcome.ok
      ? "Preview: no errors (nothing was written; run again with --save to save)."
      : "Cannot be saved: nothing was written.";
  const lines = [
    `Spreadsheet Information (import ${outcome.importId ?? "not recorded"})`,
    `  File:                 ${outcome.file}`,
    `  Import format:        Mimecast Import`,
    `  Sheet:                ${outcome.sheet ?? "-"}`,
    `  Checkpoint cell:      ${outcome.checkpoint ?? "-"}`,
    `  Rows read:            ${s.rows}`,
    `  Users to create:      ${s.create}`,
    `  Users to update:      ${s.update}`,
    `  Users unchanged:      ${s.unchanged}`,
    `  Aliases to add:       ${s.aliasesAdded}`,
    `  Attributes to create: ${s.attributesCreated.length > 0 ? s.attributesCreated.join(", ") : "-"}`,
    `  Group members to add: ${s.groupAdded}`,
    `  Group members leaving: ${s.groupRemoved}`,
    `  Users whose type changes: ${s.typeChanged}`,
    ...issueTable("Errors", outcome.errors, outcome.errorCount, outcome.errorCounts),
    ...issueTable("Warnings", outcome.warnings, outcome.warningCount, outcome.warningCounts),
    "",
    verdict,
  ];
  return lines.join("\n") + "\n";
}

function print(outcome: ImportOutcome, json: boolean, io: CliIo): number {
  if (json) printJson(outcome, io.stdout);
  else io.stdout(formatOutcome(outcome));
  return outcome.ok ? EXIT_OK : EXIT_REFUSED;
}

export const importCommand: CliCommand = {
  path: ["import"],
  usage:
    "import FILE [--as EMAIL] (--group PATH [--override add|overwrite] | --upload-only) [--note TEXT] [--save] [--json] [--account CODE] [--db URL]",
  summary: "Preview (or with --save, save) an import of users from an .xls spreadsheet.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB_OPTION,
        ...ACCOUNT_OPTION,
        ...JSON_OPTION,
        as: { type: "string" },
        group: { type: "string" },
        override: { type: "string" },
        "upload-only": { type: "boolean" },
        note: { type: "string" },
        save: { type: "boolean" },
      },
    });
    const path = requireOne(positionals, "FILE");
    const uploadOnly = values["upload-only"] === true;
    if (values.group === undefined && !uploadOnly) throw new UsageError("give --group PATH or --upload-only");
    if (values.group !== undefined && uploadOnly)
      throw new UsageError("--group and --upload-only exclude each other");
    const override = parseOverride(values.override);
    if (override !== undefined && uploadOnly) throw new UsageError("--override needs --group");
    const note = values.note;
    if (note !== undefined && (note.trim() === "" || Array.from(note.trim()).length > MAX_NOTE_LENGTH)) {
      throw new UsageError(`--note must be 1 to ${MAX_NOTE_LENGTH} characters`);
    }
    const json = values.json === true;
    const fileName = basename(path);
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return print(
        refusedOutcome(fileName, "file_unreadable", `${path} could not be opened: ${reason}`),
        json,
        io,
      );
    }
    const bar = io.stderrIsTty === true ? createProgressBar(io.stderr) : undefined;
    try {
      const outcome = await withDirectory(values.db, async (context) => {
        const as = values.as ?? (await findDefaultImporter(context.db, values.account));
        const importer = { ...context, actor: { kind: "user" as const, email: as } };
        const request = {
          fileName,
          bytes,
          account: values.account,
          group: values.group,
          override,
          note,
          onProgress: bar?.update,
        };
        const result =
          values.save === true ? await saveImport(importer, request) : await previewImport(importer, request);
        bar?.finish();
        // After commit: send what the import queued (the failure mail); without SMTP_URL it stays queued.
        await dispatchOutbox(context.db, dispatchOptionsFromEnv(context.now));
        return result;
      });
      return print(outcome, json, io);
    } catch (error) {
      bar?.finish();
      // With --json, stdout carries one object even when the import is refused before it starts.
      if (json && isAppError(error) && error.code !== "usage") {
        return print(refusedOutcome(fileName, error.code, error.message), json, io);
      }
      throw error;
    }
  },
};

export const importsListCommand: CliCommand = {
  path: ["imports", "list"],
  usage: "imports list [--account CODE] [--json] [--db URL]",
  summary: "List every import: who, when, file, state and summary.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const imports = await withDirectory(values.db, (context) =>
      listImports(context, { account: values.account }),
    );
    if (values.json === true) printJson(imports, io.stdout);
    else {
      for (const i of imports) {
        io.stdout(
          `${i.importId ?? ""}  ${i.at}  ${i.state.padEnd(9)}  ${i.by}  ${i.file}  ` +
            `create ${i.summary.create}, update ${i.summary.update}, unchanged ${i.summary.unchanged}, errors ${i.errorCount}\n`,
        );
      }
    }
    return EXIT_OK;
  },
};

export const importsShowCommand: CliCommand = {
  path: ["imports", "show"],
  usage: "imports show ID [--json] [--db URL]",
  summary: "Show one import: options, note, summary, errors and warnings.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...JSON_OPTION },
    });
    const id = requireOne(positionals, "ID");
    const view = await withDirectory(values.db, (context) => showImport(context, id));
    if (values.json === true) printJson(view, io.stdout);
    else
      io.stdout(
        `State: ${view.state}, by ${view.by} at ${view.at}, SHA-256 ${view.sha256}\n` + formatOutcome(view),
      );
    return EXIT_OK;
  },
};

export const outboxListCommand: CliCommand = {
  path: ["outbox", "list"],
  usage: "outbox list [--json] [--db URL]",
  summary: "List the mail in the outbox (queued, sent, failed).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...JSON_OPTION },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const mails = await withDirectory(values.db, (context) => listOutbox(context));
    if (values.json === true) printJson(mails, io.stdout);
    else for (const m of mails) io.stdout(`${m.createdAt}  ${m.state.padEnd(6)}  ${m.to}  ${m.subject}\n`);
    return EXIT_OK;
  },
};

export const IMPORT_COMMANDS: readonly CliCommand[] = [
  importCommand,
  importsListCommand,
  importsShowCommand,
  outboxListCommand,
];
