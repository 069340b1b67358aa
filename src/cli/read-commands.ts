import type { ServiceContext } from "../services/context.js";
import type { PositionalSpec } from "./command-spec.js";
import { EXIT_OK, defineCommand, type CliCommand } from "./command.js";
import { printJson, withDirectory } from "./directory-session.js";
import { writeList } from "./json-stream.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "./shared-options.js";

/** The words and summary of a command; the read commands below add the rest of the spec. */
interface CommandHead {
  readonly path: readonly string[];
  readonly summary: string;
}

/** A command that lists things of an account (or of the only one): a line each, or one JSON array with --json. */
export function defineListCommand<T>(
  head: CommandHead,
  list: (context: ServiceContext, request: { account: string | undefined }) => Promise<readonly T[]>,
  line: (item: T) => string,
): CliCommand {
  // A short list is a streamed list of one page: one spec and one way of writing either.
  return defineStreamedListCommand(head, (context, request) => onePage(() => list(context, request)), line);
}

async function* onePage<T>(read: () => Promise<readonly T[]>): AsyncIterable<readonly T[]> {
  yield await read();
}

/**
 * A list that can be long (users, audit): read a page at a time and written as it is read, waiting for a slow
 * reader, so memory stays bounded; the same output as one page would give.
 */
export function defineStreamedListCommand<T>(
  head: CommandHead,
  stream: (context: ServiceContext, request: { account: string | undefined }) => AsyncIterable<readonly T[]>,
  line: (item: T) => string,
): CliCommand {
  return defineCommand(
    { ...head, positionals: [], options: { ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION } },
    async ({ options }, io) => {
      await withDirectory(options.db, (context) =>
        writeList(io, stream(context, { account: options.account }), { json: options.json, line }),
      );
      return EXIT_OK;
    },
  );
}

/** A command that shows one thing named by its one argument: as text, or one JSON object with --json. */
export function defineShowCommand<T>(
  head: CommandHead & { readonly positional: PositionalSpec },
  show: (context: ServiceContext, name: string) => Promise<T>,
  text: (item: T) => string,
): CliCommand {
  const { positional, ...words } = head;
  return defineCommand(
    { ...words, positionals: [positional], options: { ...JSON_OPTION, ...DB_OPTION } },
    async ({ positionals, options }, io) => {
      const name = positionals[positional.name] ?? "";
      const item = await withDirectory(options.db, (context) => show(context, name));
      if (options.json) printJson(item, io.stdout);
      else io.stdout(text(item));
      return EXIT_OK;
    },
  );
}
