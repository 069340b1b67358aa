import { writeFileSync } from "node:fs";
import { EMPTY_DELEGATE_SUMMARY } from "../../import/delegates/plan-delegates.js";
import { delegateTemplate, exportDelegates } from "../../services/delegates/delegate-files.js";
import { eachDelegate } from "../../services/delegates/list-delegates.js";
import {
  previewDelegateImport,
  saveDelegateImport,
  type DelegateImportOutcome,
} from "../../services/delegates/run-delegate-import.js";
import { dispatchOutbox } from "../../services/dispatch-outbox.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { withDirectory } from "../directory-session.js";
import { checkNoteOption, importerContext, importVerdict, runImportFile } from "../import-file-io.js";
import { JsonArrayWriter, StreamingWriter } from "../json-stream.js";
import { dispatchOptionsFromEnv } from "../mail-options.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";
import { AS_OPTION, importReport, refusedOutcome } from "./import-commands.js";

function refused(file: string, code: string, message: string): DelegateImportOutcome {
  return { ...refusedOutcome(file, code, message), summary: EMPTY_DELEGATE_SUMMARY };
}

function formatOutcome(outcome: DelegateImportOutcome): string {
  const s = outcome.summary;
  return importReport(
    "Delegate Mailbox Access",
    outcome,
    17,
    [
      ["File", outcome.file],
      ["Sheet", outcome.sheet ?? "-"],
      ["Checkpoint cell", outcome.checkpoint ?? "-"],
      ["Rows read", s.rows],
      ["Pairs to add", s.add],
      ["Pairs to remove", s.remove],
      ["Pairs unchanged", s.unchanged],
    ],
    importVerdict(outcome, "delegates"),
  );
}

const PRIMARY_OPTION = {
  primary: {
    type: "string",
    value: "EMAIL",
    description: "Only the mailboxes this user (any of their addresses) may open.",
  },
} as const;

export const delegatesImportCommand = defineCommand(
  {
    path: ["delegates", "import"],
    summary:
      "Preview (or with --save, save) delegate mailbox access from an .xls sheet: primary, delegate[, action].",
    positionals: [{ name: "FILE", description: "The .xls spreadsheet." }],
    options: {
      ...AS_OPTION,
      note: {
        type: "string",
        value: "TEXT",
        description: "A note attached to the users whose access changes.",
      },
      save: { type: "boolean", description: "Save the import (without it, only preview)." },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const { note } = options;
    checkNoteOption(note);
    return runImportFile({
      path: positionals.FILE,
      json: options.json,
      io,
      refused,
      format: formatOutcome,
      run: (fileName, bytes) =>
        withDirectory(options.db, async (context) => {
          const importer = await importerContext(context, options.as, options.account);
          const request = { fileName, bytes, account: options.account, note };
          const result = options.save
            ? await saveDelegateImport(importer, request)
            : await previewDelegateImport(importer, request);
          // After commit: send what the import queued (the failure mail); without SMTP_URL it stays queued.
          await dispatchOutbox(context.db, dispatchOptionsFromEnv(context.now));
          return result;
        }),
    });
  },
);

export const delegatesListCommand = defineCommand(
  {
    path: ["delegates", "list"],
    summary: "List delegate mailbox access: who (primary) may open whose mailbox (delegate).",
    positionals: [],
    options: { ...PRIMARY_OPTION, ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ options }, io) => {
    // Streamed a page at a time: written as the pairs arrive, waiting for a slow reader, never held whole.
    const array = new JsonArrayWriter(io, { compact: true });
    const out = new StreamingWriter(io);
    await withDirectory(options.db, (context) =>
      eachDelegate(context, { account: options.account, primary: options.primary }, (pair) =>
        options.json ? array.item(pair) : out.write(`${pair.primary}  ${pair.delegate}\n`),
      ),
    );
    if (options.json) await array.end();
    else await out.flush();
    return EXIT_OK;
  },
);

export const delegatesExportCommand = defineCommand(
  {
    path: ["delegates", "export"],
    summary:
      "Write delegate mailbox access to an .xls sheet (primary, delegate) that `delegates import` reads.",
    positionals: [{ name: "FILE", description: "The .xls file to write." }],
    options: { ...PRIMARY_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const file = await withDirectory(options.db, (context) =>
      exportDelegates(context, { account: options.account, primary: options.primary }),
    );
    writeFileSync(positionals.FILE, file.bytes);
    io.stdout(`Wrote ${positionals.FILE}.\n`);
    return EXIT_OK;
  },
);

export const delegatesTemplateCommand = defineCommand(
  {
    path: ["delegates", "template"],
    summary: "Write a blank delegate sheet (primary, delegate, action at A1).",
    positionals: [{ name: "FILE", description: "The .xls file to write." }],
    options: {},
  },
  ({ positionals }, io) => {
    writeFileSync(positionals.FILE, delegateTemplate().bytes);
    io.stdout(`Wrote ${positionals.FILE}.\n`);
    return Promise.resolve(EXIT_OK);
  },
);

export const DELEGATE_COMMANDS: readonly CliCommand[] = [
  delegatesImportCommand,
  delegatesListCommand,
  delegatesExportCommand,
  delegatesTemplateCommand,
];
