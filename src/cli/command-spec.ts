import { parseArgs } from "node:util";
import { AppError } from "../errors/app-error.js";

/**
 * A command declared once: its words, summary, positionals and options. Parsing, the usage line, `--help`
 * and usage errors all come from this one declaration. Pure: no I/O.
 */

/** Thrown by argument parsing; main() prints it with the usage and exits with 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super("usage", message);
  }
}

interface OptionBase {
  /** One line for `--help`. */
  readonly description: string;
}

/** A text value, e.g. `--account CODE`. */
export interface StringOption extends OptionBase {
  readonly type: "string";
  /** The placeholder in the usage line: `CODE`, or the accepted words such as `defer|reject`. */
  readonly value: string;
  readonly required?: boolean;
  /** May be given again: the values arrive in order as a list. */
  readonly multiple?: boolean;
  readonly default?: string;
  /** The only words accepted; anything else is a usage error. */
  readonly choices?: readonly string[];
}

/** A whole number, e.g. `--limit N`: anything but digits is a usage error. */
export interface CountOption extends OptionBase {
  readonly type: "count";
  readonly value?: string;
  readonly default?: number;
}

/** A switch; false when absent. A negatable one also takes `--no-NAME` and is undefined when neither is given. */
export interface BooleanOption extends OptionBase {
  readonly type: "boolean";
  readonly negatable?: boolean;
}

export type OptionSpec = StringOption | CountOption | BooleanOption;
export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
}

export interface CommandSpec<
  O extends OptionsSpec = OptionsSpec,
  P extends readonly PositionalSpec[] = readonly PositionalSpec[],
> {
  /** The words that select the command, e.g. `["users", "add"]`. */
  readonly path: readonly string[];
  readonly summary: string;
  /** Every one is required, in this order. */
  readonly positionals: P;
  /** In the order the usage line shows them. */
  readonly options: O;
  /**
   * Options of which exactly one branch is given, e.g. `[["group", "override"], ["upload-only"]]`: a
   * branch's first option chooses it, the others in it need that first one.
   */
  readonly oneOf?: readonly (readonly string[])[];
  /** Added to the "unexpected argument" error, e.g. how to quote a value with spaces. */
  readonly extraArgumentHint?: string;
}

type ValueOf<T extends OptionSpec> = T extends BooleanOption
  ? T extends { readonly negatable: true }
    ? boolean | undefined
    : boolean
  : T extends CountOption
    ? T extends { readonly default: number }
      ? number
      : number | undefined
    : T extends { readonly multiple: true }
      ? T extends { readonly required: true }
        ? string[]
        : string[] | undefined
      : T extends { readonly required: true } | { readonly default: string }
        ? TextOf<T>
        : TextOf<T> | undefined;

/** With `choices`, the value is one of them. */
type TextOf<T extends OptionSpec> = T extends { readonly choices: readonly (infer C)[] } ? C : string;

export type OptionValues<O extends OptionsSpec> = { readonly [K in keyof O]: ValueOf<O[K]> };
export type PositionalValues<P extends readonly PositionalSpec[]> = {
  readonly [E in P[number] as E["name"]]: string;
};

export interface ParsedCommand<O extends OptionsSpec, P extends readonly PositionalSpec[]> {
  readonly options: OptionValues<O>;
  readonly positionals: PositionalValues<P>;
}

/** What `parseCommand` answers for `--help` or `-h`: the command is not run. */
export const HELP_REQUESTED = Symbol("help");

interface ParseArgsOption {
  type: "string" | "boolean";
  multiple?: boolean;
  short?: string;
}

function parseArgsOptions(options: OptionsSpec): Record<string, ParseArgsOption> {
  const config: Record<string, ParseArgsOption> = { help: { type: "boolean", short: "h" } };
  for (const [name, option] of Object.entries(options)) {
    if (option.type === "boolean") {
      config[name] = { type: "boolean" };
      if (option.negatable === true) config[`no-${name}`] = { type: "boolean" };
    } else {
      config[name] = { type: "string", multiple: option.type === "string" && option.multiple === true };
    }
  }
  return config;
}

function isParseArgsError(error: unknown): error is Error {
  if (!(error instanceof TypeError)) return false;
  const code: unknown = (error as unknown as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

/** A whole number from `--flag N`; undefined when the flag is absent. */
export function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} needs a whole number, not "${text}"`);
  return Number(text);
}

type RawValue = string | boolean | (string | boolean)[] | undefined;

function optionValue(name: string, option: OptionSpec, raw: Readonly<Record<string, RawValue>>): unknown {
  const given = raw[name];
  const flag = `--${name}`;
  switch (option.type) {
    case "boolean": {
      if (option.negatable !== true) return given === true;
      const negated = raw[`no-${name}`] === true;
      if (given === true && negated) throw new UsageError(`${flag} and --no-${name} contradict each other`);
      return given === true ? true : negated ? false : undefined;
    }
    case "count":
      return parseCount(flag, typeof given === "string" ? given : undefined) ?? option.default;
    case "string": {
      if (given === undefined) {
        if (option.required === true) throw new UsageError(`missing ${flag} ${option.value}`);
        return option.default;
      }
      const choices = option.choices;
      const refused = choices && [given].flat().find((v) => typeof v !== "string" || !choices.includes(v));
      if (choices && refused !== undefined) {
        throw new UsageError(`${flag} is ${choices.join(" or ")}, not "${String(refused)}"`);
      }
      return given;
    }
  }
}

/**
 * Parses `argv` (the words after the command's own) against the spec. Throws UsageError for an unknown
 * flag, a missing value or argument, an extra argument or a value of the wrong kind.
 */
export function parseCommand<O extends OptionsSpec, P extends readonly PositionalSpec[]>(
  spec: CommandSpec<O, P>,
  argv: readonly string[],
): ParsedCommand<O, P> | typeof HELP_REQUESTED {
  let parsed: { values: Record<string, RawValue>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: parseArgsOptions(spec.options),
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    if (isParseArgsError(error)) throw new UsageError(error.message);
    throw error;
  }
  if (parsed.values.help === true) return HELP_REQUESTED;
  const positionals: Record<string, string> = {};
  spec.positionals.forEach((positional, i) => {
    const value = parsed.positionals[i];
    if (value === undefined) throw new UsageError(`missing ${positional.name}`);
    positionals[positional.name] = value;
  });
  const extra = parsed.positionals.slice(spec.positionals.length);
  if (extra.length > 0) {
    const hint = spec.extraArgumentHint === undefined ? "" : ` (${spec.extraArgumentHint})`;
    throw new UsageError(`unexpected argument "${extra.join(" ")}"${hint}`);
  }
  const options: Record<string, unknown> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    options[name] = optionValue(name, option, parsed.values);
  }
  checkOneOf(spec, options);
  // The values were built from the same spec the types are computed from.
  return { options, positionals } as unknown as ParsedCommand<O, P>;
}

function checkOneOf(spec: CommandSpec, values: Readonly<Record<string, unknown>>): void {
  if (spec.oneOf === undefined) return;
  const isGiven = (name: string): boolean => values[name] !== undefined && values[name] !== false;
  const keys = spec.oneOf.map((branch) => branch[0] ?? "");
  const chosen = keys.filter(isGiven);
  const [first, second] = chosen;
  if (first === undefined) {
    throw new UsageError(`give ${keys.map((key) => synopsisOf(spec, key)).join(" or ")}`);
  }
  if (second !== undefined) throw new UsageError(`--${first} and --${second} exclude each other`);
  for (const [key, ...dependents] of spec.oneOf) {
    const orphan = key !== undefined && !isGiven(key) ? dependents.find(isGiven) : undefined;
    if (orphan !== undefined) throw new UsageError(`--${orphan} needs --${key}`);
  }
}

function synopsisOf(spec: CommandSpec, name: string): string {
  const option = spec.options[name];
  return option === undefined ? `--${name}` : optionSynopsis(name, option);
}

function optionSynopsis(name: string, option: OptionSpec): string {
  switch (option.type) {
    case "boolean":
      return option.negatable === true ? `--[no-]${name}` : `--${name}`;
    case "count":
      return `--${name} ${option.value ?? "N"}`;
    case "string":
      return `--${name} ${option.value}`;
  }
}

/** The usage line without the program name, e.g. `users add EMAIL --name NAME [--password PW] [--db URL]`. */
export function renderUsage(spec: CommandSpec): string {
  const words = [...spec.path, ...spec.positionals.map((p) => p.name)];
  const inOneOf = new Set(spec.oneOf?.flat());
  for (const [name, option] of Object.entries(spec.options)) {
    if (inOneOf.has(name)) {
      // The alternatives show where their first option is declared, e.g. `(--group PATH | --upload-only)`.
      if (spec.oneOf?.[0]?.[0] === name) words.push(renderOneOf(spec, spec.oneOf));
      continue;
    }
    const synopsis = optionSynopsis(name, option);
    if (option.type === "string" && option.required === true) {
      words.push(option.multiple === true ? `${synopsis} [${synopsis} ...]` : synopsis);
    } else {
      words.push(
        option.type === "string" && option.multiple === true ? `[${synopsis} ...]` : `[${synopsis}]`,
      );
    }
  }
  return words.join(" ");
}

function renderOneOf(spec: CommandSpec, oneOf: readonly (readonly string[])[]): string {
  const branches = oneOf.map(([key = "", ...dependents]) =>
    [synopsisOf(spec, key), ...dependents.map((name) => `[${synopsisOf(spec, name)}]`)].join(" "),
  );
  return `(${branches.join(" | ")})`;
}

function describeOption(option: OptionSpec): string {
  const notes: string[] = [];
  if (option.type === "string" && option.required === true) notes.push("Required.");
  if (option.type === "string" && option.multiple === true) notes.push("May be repeated.");
  if (option.type !== "boolean" && option.default !== undefined) notes.push(`Default: ${option.default}.`);
  return [option.description, ...notes].join(" ");
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = rows.reduce((w, [left]) => Math.max(w, left.length), 0);
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** `mailroster COMMAND --help`: the usage line, the summary, then every argument and option. */
export function renderHelp(spec: CommandSpec, program = "mailroster"): string {
  const lines = [`Usage: ${program} ${renderUsage(spec)}`, "", spec.summary];
  if (spec.positionals.length > 0) {
    lines.push("", "Arguments:", ...table(spec.positionals.map((p) => [p.name, p.description])));
  }
  const options = Object.entries(spec.options).map(
    ([name, option]) => [optionSynopsis(name, option), describeOption(option)] as const,
  );
  lines.push("", "Options:", ...table([...options, ["-h, --help", "Show this help."]]));
  return lines.join("\n") + "\n";
}

/** `mailroster --help`: every command's usage line and summary. */
export function renderCommandList(specs: readonly CommandSpec[], program = "mailroster"): string {
  const lines = [`Usage: ${program} <command> [options]`, "", "Commands:"];
  for (const spec of specs) lines.push(`  ${renderUsage(spec)}`, `      ${spec.summary}`);
  lines.push("", `Run "${program} <command> --help" for a command's arguments and options.`);
  return lines.join("\n") + "\n";
}
