import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { syncAll } from "../../services/sync/run-sync.js";
import { listSyncRunHistory, showSyncRun } from "../../services/sync/sync-runs.js";
import type { SyncRunListItem } from "../../services/sync/sync-run-views.js";
import { SYNC_LEASE } from "../../jobs/sync-leases.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { commandHeartbeat } from "../command-heartbeat.js";
import { UsageError } from "../command-spec.js";
import { printJson, withDirectory } from "../directory-session.js";
import { defineShowCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";
import { CONNECTOR_COMMANDS } from "./connector-commands.js";

export const syncCommand = defineCommand(
  {
    path: ["sync"],
    summary: "Sync All: pull every user of every connector of the account.",
    positionals: [],
    options: { ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ options }, io) => {
    const secrets = createSecretBox(loadSecretKey());
    const result = await withDirectory(options.db, async (context) => {
      const heartbeat = commandHeartbeat(SYNC_LEASE, context);
      return syncAll(
        context,
        { account: options.account },
        { secrets },
        { onStarted: heartbeat.start, onProgress: heartbeat.progress },
      ).finally(() => heartbeat.end());
    });
    if (options.json) printJson(result, io.stdout);
    else {
      io.stdout(
        `created ${result.created}, updated ${result.updated}, reclaimed ${result.reclaimed}, ` +
          `flagged ${result.flagged}, removed ${result.removed}, errors ${result.errors.length}\n`,
      );
      for (const e of result.errors) {
        io.stdout(`  ${e.connector}: ${e.code}${e.dn === undefined ? "" : ` (${e.dn})`}: ${e.message}\n`);
      }
    }
    return EXIT_OK;
  },
);

/** One run as a line: when, state and result, the counts, the errors, and why it failed. */
function runLine(run: SyncRunListItem): string {
  const counts =
    `created ${run.created}, updated ${run.updated}, reclaimed ${run.reclaimed}, ` +
    `flagged ${run.flagged}, removed ${run.removed}, errors ${run.errorCount}`;
  const result = run.result === null ? run.state : `${run.state} (${run.result})`;
  const failure = run.failure === null ? "" : `\t${run.failure.code}: ${run.failure.message}`;
  return `${run.runId}\t${run.startedAt}\t${result}\t${run.by}\t${counts}${failure}\n`;
}

export const syncRunsCommand = defineCommand(
  {
    path: ["sync", "runs"],
    summary: "The account's Sync All runs, newest first, a page at a time.",
    positionals: [],
    options: {
      page: { type: "count", default: 1, description: "The page, from 1." },
      "page-size": { type: "count", default: 50, description: "Runs per page, 1 to 200." },
      ...JSON_OPTION,
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    const pageSize = options["page-size"];
    if (options.page < 1 || pageSize < 1 || pageSize > 200) {
      throw new UsageError("--page needs 1 or more, --page-size 1 to 200");
    }
    const page = await withDirectory(options.db, (context) =>
      listSyncRunHistory(context, { account: options.account, page: options.page, pageSize }),
    );
    if (options.json) printJson(page, io.stdout);
    else {
      io.stdout(page.items.map(runLine).join(""));
      io.stdout(
        `page ${page.page} of ${Math.max(1, Math.ceil(page.total / pageSize))} (${page.total} runs)\n`,
      );
    }
    return EXIT_OK;
  },
);

export const syncShowCommand = defineShowCommand(
  {
    path: ["sync", "show"],
    summary: "One Sync All run: its state, counts, first errors and why it failed.",
    positional: { name: "RUN_ID", description: "The run's id (sync runs lists them)." },
  },
  showSyncRun,
  (run) =>
    runLine(run) +
    run.errors
      .map((e) => `  ${e.connector}: ${e.code}${e.dn === undefined ? "" : ` (${e.dn})`}: ${e.message}\n`)
      .join(""),
);

/** The service checks the mode, so a wrong one is refused with its code (recipient_validation_invalid). */
export const SYNC_COMMANDS: readonly CliCommand[] = [
  ...CONNECTOR_COMMANDS,
  syncCommand,
  syncRunsCommand,
  syncShowCommand,
];
