import { AppError } from "../errors/app-error.js";

/** Where a command writes; injected so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: long work may then draw a progress bar there. */
  stderrIsTty?: boolean;
}

export const EXIT_OK = 0;
/** The request was refused: bad input, a file that cannot be read, a rule that forbids it. */
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

export interface CliCommand {
  /** Words that select the command, e.g. `["sheet", "dump"]`. */
  readonly path: readonly string[];
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by argument parsing; main() prints the usage and exits with 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("usage", message);
  }
}
