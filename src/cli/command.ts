import {
  HELP_REQUESTED,
  parseCommand,
  renderHelp,
  type CommandSpec,
  type OptionsSpec,
  type ParsedCommand,
  type PositionalSpec,
} from "./command-spec.js";

/** Where a command writes; injected so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: long work may then draw a progress bar there. */
  stderrIsTty?: boolean;
  /** Resolves once stdout can take more (its buffer drained): streaming output waits on a slow reader. */
  drained?: () => Promise<void>;
}

export const EXIT_OK = 0;
/** The request was refused: bad input, a file that cannot be read, a rule that forbids it. */
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export interface CliCommand {
  readonly spec: CommandSpec;
  /** Parses `args` (the words after the command's own), answers `--help`, else runs the handler. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** A command: its spec, and a handler that gets the values the spec declares, typed. */
export function defineCommand<const O extends OptionsSpec, const P extends readonly PositionalSpec[]>(
  spec: CommandSpec<O, P>,
  handle: (args: ParsedCommand<O, P>, io: CliIo) => Promise<number>,
): CliCommand {
  return {
    spec,
    async run(args, io) {
      const parsed = parseCommand(spec, args);
      if (parsed === HELP_REQUESTED) {
        io.stdout(renderHelp(spec));
        return EXIT_OK;
      }
      return handle(parsed, io);
    },
  };
}
