import { isAppError } from "../errors/app-error.js";
import { renderCommandList, renderUsage } from "./command-spec.js";
import { EXIT_REFUSED, EXIT_USAGE, type CliCommand, type CliIo } from "./command.js";
import { DELEGATE_COMMANDS } from "./commands/delegate-commands.js";
import { DIRECTORY_COMMANDS } from "./commands/directory-commands.js";
import { IMPORT_COMMANDS } from "./commands/import-commands.js";
import { mailAuthCommand } from "./commands/mail-auth.js";
import { OIDC_COMMANDS } from "./commands/oidc-commands.js";
import { serveCommand } from "./commands/serve.js";
import { sheetDumpCommand } from "./commands/sheet-dump.js";
import { SCIM_COMMANDS } from "./commands/scim-commands.js";
import { SYNC_COMMANDS } from "./commands/sync-commands.js";
import { describeForCli } from "./error-hints.js";

const COMMANDS: readonly CliCommand[] = [
  sheetDumpCommand,
  ...DIRECTORY_COMMANDS,
  ...IMPORT_COMMANDS,
  ...DELEGATE_COMMANDS,
  ...SYNC_COMMANDS,
  ...SCIM_COMMANDS,
  ...OIDC_COMMANDS,
  serveCommand,
  mailAuthCommand,
];

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: process.stderr.isTTY,
  // write() returning false leaves writableNeedDrain set until 'drain': wait for the reader then.
  drained: () =>
    process.stdout.writableNeedDrain
      ? new Promise((resolve) => {
          // A reader that goes away (| head) never drains: stop waiting then too.
          const done = () => {
            process.stdout.off("drain", done).off("close", done).off("error", done);
            resolve();
          };
          process.stdout.once("drain", done).once("close", done).once("error", done);
        })
      : Promise.resolve(),
};

const helpText = (): string => renderCommandList(COMMANDS.map((command) => command.spec));

function findCommand(argv: readonly string[]): { command: CliCommand; rest: readonly string[] } | undefined {
  let best: CliCommand | undefined;
  for (const command of COMMANDS) {
    const path = command.spec.path;
    const matches = path.every((word, i) => argv[i] === word);
    if (matches && (!best || path.length > best.spec.path.length)) best = command;
  }
  return best ? { command: best, rest: argv.slice(best.spec.path.length) } : undefined;
}

/** Runs one CLI invocation and returns its exit code; never lets a stack trace reach the user for their mistakes. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout(helpText());
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`mailroster: unknown command "${argv.join(" ")}"\n\n${helpText()}`);
    return EXIT_USAGE;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "usage") {
      io.stderr(`mailroster: ${error.message}\nUsage: mailroster ${renderUsage(found.command.spec)}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`mailroster: ${error.code}: ${describeForCli(error)}\n`);
    return EXIT_REFUSED;
  }
}
