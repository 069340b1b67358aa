import { describe, expect, it } from "vitest";
import {
  HELP_REQUESTED,
  UsageError,
  parseCommand,
  renderCommandList,
  renderHelp,
  renderUsage,
  type CommandSpec,
} from "./command-spec.js";
import { EXIT_OK, EXIT_USAGE, defineCommand, type CliIo } from "./command.js";
import { main } from "./main.js";

const spec = {
  path: ["things", "add"],
  summary: "Add a thing.",
  positionals: [{ name: "NAME", description: "The thing's name." }],
  options: {
    code: { type: "string", value: "CODE", required: true, description: "Its code." },
    tag: { type: "string", value: "TAG", multiple: true, description: "A tag." },
    colour: { type: "string", value: "red|blue", choices: ["red", "blue"], description: "Its colour." },
    host: { type: "string", value: "HOST", default: "127.0.0.1", description: "Where." },
    limit: { type: "count", description: "At most this many." },
    size: { type: "count", value: "MB", default: 64, description: "How big." },
    strict: { type: "boolean", description: "Be strict." },
    "require-upper": { type: "boolean", negatable: true, description: "Require an upper-case letter." },
    group: { type: "string", value: "PATH", description: "A group." },
    override: { type: "string", value: "add|overwrite", description: "How to place." },
    "upload-only": { type: "boolean", description: "No group." },
  },
  oneOf: [["group", "override"], ["upload-only"]],
  extraArgumentHint: "quote a name with spaces",
} as const satisfies CommandSpec;

function parse(...argv: string[]) {
  const parsed = parseCommand(spec, argv);
  if (parsed === HELP_REQUESTED) throw new Error("help was not asked for");
  return parsed;
}

function usageErrorOf(...argv: string[]): string {
  try {
    parseCommand(spec, argv);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("no usage error");
}

describe("parseCommand", () => {
  it("parses positionals and options by name, with their defaults", () => {
    const { positionals, options } = parse("Widget", "--code", "w1", "--upload-only");
    expect(positionals).toEqual({ NAME: "Widget" });
    expect(options).toEqual({
      code: "w1",
      tag: undefined,
      colour: undefined,
      host: "127.0.0.1",
      limit: undefined,
      size: 64,
      strict: false,
      "require-upper": undefined,
      group: undefined,
      override: undefined,
      "upload-only": true,
    });
  });

  it("collects a repeated option in order, and reads whole numbers", () => {
    const { options } = parse("W", "--code", "c", "--tag", "a", "--tag", "b", "--group", "G", "--limit", "7");
    expect(options.tag).toEqual(["a", "b"]);
    expect(options.limit).toBe(7);
    expect(options.group).toBe("G");
  });

  it("turns a negatable switch on, off, or leaves it unset", () => {
    const base = ["W", "--code", "c", "--upload-only"];
    expect(parse(...base, "--require-upper").options["require-upper"]).toBe(true);
    expect(parse(...base, "--no-require-upper").options["require-upper"]).toBe(false);
    expect(usageErrorOf(...base, "--require-upper", "--no-require-upper")).toBe(
      "--require-upper and --no-require-upper contradict each other",
    );
  });

  it("refuses with a usage error naming what is wrong", () => {
    const ok = ["--code", "c", "--upload-only"];
    expect(usageErrorOf("W", ...ok, "--bogus")).toContain("--bogus");
    expect(usageErrorOf(...ok)).toBe("missing NAME");
    expect(usageErrorOf("W", "--upload-only")).toBe("missing --code CODE");
    expect(usageErrorOf("W", "X", ...ok)).toBe('unexpected argument "X" (quote a name with spaces)');
    expect(usageErrorOf("W", ...ok, "--limit", "ten")).toBe('--limit needs a whole number, not "ten"');
    expect(usageErrorOf("W", ...ok, "--colour", "green")).toBe('--colour is red or blue, not "green"');
    expect(usageErrorOf("W", ...ok, "--code")).toContain("--code");
  });

  it("asks for exactly one branch of the alternatives", () => {
    expect(usageErrorOf("W", "--code", "c")).toBe("give --group PATH or --upload-only");
    expect(usageErrorOf("W", "--code", "c", "--group", "G", "--upload-only")).toBe(
      "--group and --upload-only exclude each other",
    );
    expect(usageErrorOf("W", "--code", "c", "--upload-only", "--override", "add")).toBe(
      "--override needs --group",
    );
  });

  it("answers --help or -h before checking anything else", () => {
    expect(parseCommand(spec, ["--help"])).toBe(HELP_REQUESTED);
    expect(parseCommand(spec, ["-h"])).toBe(HELP_REQUESTED);
  });

  it("takes an argument starting with a dash after --", () => {
    expect(parse("--code", "c", "--upload-only", "--", "-odd").positionals.NAME).toBe("-odd");
  });
});

describe("usage and help", () => {
  it("renders the usage line from the spec", () => {
    expect(renderUsage(spec)).toBe(
      "things add NAME --code CODE [--tag TAG ...] [--colour red|blue] [--host HOST] [--limit N] " +
        "[--size MB] [--strict] [--[no-]require-upper] (--group PATH [--override add|overwrite] | --upload-only)",
    );
  });

  it("lists every argument and option in --help, with defaults", () => {
    const help = renderHelp(spec);
    expect(help.startsWith(`Usage: mailroster ${renderUsage(spec)}\n`)).toBe(true);
    expect(help).toContain("Add a thing.");
    expect(help).toContain("NAME");
    for (const [name, option] of Object.entries(spec.options)) {
      expect(help).toMatch(new RegExp(`--(\\[no-\\])?${name}\\b.*${option.description}`));
    }
    expect(help).toContain("Default: 127.0.0.1.");
    expect(help).toContain("-h, --help");
  });

  it("lists every command with its summary", () => {
    const list = renderCommandList([spec, { ...spec, path: ["things", "list"], summary: "List things." }]);
    expect(list).toContain("things add NAME");
    expect(list).toContain("Add a thing.");
    expect(list).toContain("List things.");
  });
});

describe("a defined command", () => {
  const output = (): { io: CliIo; out: () => string; err: () => string } => {
    let out = "";
    let err = "";
    return {
      io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
      out: () => out,
      err: () => err,
    };
  };

  it("prints its help on stdout and exits 0 without running", async () => {
    let ran = false;
    const command = defineCommand(spec, () => {
      ran = true;
      return Promise.resolve(EXIT_OK);
    });
    const { io, out } = output();
    expect(await command.run(["--help"], io)).toBe(EXIT_OK);
    expect(out()).toBe(renderHelp(spec));
    expect(ran).toBe(false);
  });

  it("hands the handler typed values", async () => {
    const command = defineCommand(spec, ({ positionals, options }, io) => {
      io.stdout(`${positionals.NAME} ${options.code} ${options.size + 1}`);
      return Promise.resolve(EXIT_OK);
    });
    const { io, out } = output();
    await command.run(["W", "--code", "c", "--upload-only"], io);
    expect(out()).toBe("W c 65");
  });
});

describe("main", () => {
  const run = async (...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    let stdout = "";
    let stderr = "";
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  };

  it("prints every command's help on stdout with exit 0", async () => {
    const list = await run("--help");
    expect(list.code).toBe(0);
    for (const words of ["users add", "import FILE", "serve", "recipients check", "sheet dump"]) {
      expect(list.stdout).toContain(words);
    }
    const help = await run("users", "add", "--help");
    expect(help).toMatchObject({ code: 0, stderr: "" });
    expect(help.stdout).toContain("--name NAME");
    expect(help.stdout).toContain("--password PW");
    expect(help.stdout).toContain("--account CODE");
    expect(help.stdout).toContain("--db URL");
  });

  it("answers an unknown flag with exit 2, the message and the usage on stderr", async () => {
    const result = await run("users", "list", "--bogus");
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^mailroster: .*--bogus.*\nUsage: mailroster users list \[--json\]/);
  });
});
