import { isAppError } from "../errors/app-error.js";
import { renderCommandList, renderUsage } from "./command-spec.js";
import { EXIT_REFUSED, EXIT_USAGE, type CliCommand, type CliIo } from "./command.js";
import { loadAllCommands, routeCommand } from "./command-table.js";
import { describeForCli } from "./error-hints.js";

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

const helpText = async (): Promise<string> =>
  renderCommandList((await loadAllCommands()).map((command) => command.spec));

/** The command `argv` names, loading only its module. */
async function findCommand(
  argv: readonly string[],
): Promise<{ command: CliCommand; rest: readonly string[] } | undefined> {
  const route = routeCommand(argv);
  if (!route) return undefined;
  const command = (await route.module.load()).find(
    (c) => c.spec.path.length === route.path.length && c.spec.path.every((word, i) => route.path[i] === word),
  );
  return command ? { command, rest: argv.slice(route.path.length) } : undefined;
}

/** Runs one CLI invocation and returns its exit code; never lets a stack trace reach the user for their mistakes. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.stdout(await helpText());
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const found = await findCommand(argv);
  if (!found) {
    io.stderr(`mailroster: unknown command "${argv.join(" ")}"\n\n${await helpText()}`);
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
