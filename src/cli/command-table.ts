import type { CliCommand } from "./command.js";

/**
 * Which module holds which commands, so one invocation loads only its own command's module: loading every
 * command (the HTTP server, OpenID Connect, LDAP, the import pipeline) took ~0.7 s and ~130 MB before any work,
 * more than a point look-up such as `recipients check` needs in all. The paths here only route; each command's
 * spec (options, usage, help) stays declared once, in its module, and a test holds this table to the modules.
 */
export interface CommandModule {
  readonly paths: readonly (readonly string[])[];
  readonly load: () => Promise<readonly CliCommand[]>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  {
    paths: [["sheet", "dump"]],
    load: async () => [(await import("./commands/sheet-dump.js")).sheetDumpCommand],
  },
  {
    paths: [
      ["init"],
      ["accounts", "add"],
      ["domains", "add"],
      ["groups", "add"],
      ["groups", "show"],
      ["users", "add"],
      ["users", "list"],
      ["users", "search"],
      ["users", "show"],
      ["roles", "assign"],
      ["policy", "set"],
      ["audit", "list"],
      ["migrate"],
    ],
    load: async () => (await import("./commands/directory-commands.js")).DIRECTORY_COMMANDS,
  },
  {
    paths: [
      ["import"],
      ["imports", "save"],
      ["imports", "cancel"],
      ["imports", "list"],
      ["imports", "show"],
      ["outbox", "list"],
    ],
    load: async () => (await import("./commands/import-commands.js")).IMPORT_COMMANDS,
  },
  {
    paths: [
      ["delegates", "import"],
      ["delegates", "list"],
      ["delegates", "export"],
      ["delegates", "template"],
    ],
    load: async () => (await import("./commands/delegate-commands.js")).DELEGATE_COMMANDS,
  },
  {
    paths: [
      ["connectors", "add"],
      ["connectors", "list"],
      ["connectors", "update"],
      ["connectors", "remove"],
      ["connectors", "test"],
      ["sync"],
      ["sync", "runs"],
      ["sync", "show"],
    ],
    load: async () => (await import("./commands/sync-commands.js")).SYNC_COMMANDS,
  },
  {
    paths: [
      ["domains", "set"],
      ["recipients", "set"],
      ["recipients", "check"],
    ],
    load: async () => (await import("./commands/recipient-commands.js")).RECIPIENT_COMMANDS,
  },
  {
    paths: [["scim", "activity"]],
    load: async () => (await import("./commands/scim-commands.js")).SCIM_COMMANDS,
  },
  {
    paths: [
      ["oidc-clients", "add"],
      ["oidc-clients", "list"],
      ["oidc-clients", "remove"],
      ["oidc-keys", "rotate"],
    ],
    load: async () => (await import("./commands/oidc-commands.js")).OIDC_COMMANDS,
  },
  {
    paths: [["serve"]],
    load: async () => [(await import("./commands/serve.js")).serveCommand],
  },
  {
    paths: [["mail-auth"]],
    load: async () => [(await import("./commands/mail-auth.js")).mailAuthCommand],
  },
];

/** The module whose command path is the longest prefix of `argv`, with that path; undefined for none. */
export function routeCommand(
  argv: readonly string[],
): { readonly module: CommandModule; readonly path: readonly string[] } | undefined {
  let best: { module: CommandModule; path: readonly string[] } | undefined;
  for (const module of COMMAND_MODULES) {
    for (const path of module.paths) {
      const matches = path.every((word, i) => argv[i] === word);
      if (matches && (!best || path.length > best.path.length)) best = { module, path };
    }
  }
  return best;
}

/** Every command, loading every module: for the command list (`mailroster --help`). */
export async function loadAllCommands(): Promise<CliCommand[]> {
  const modules = await Promise.all(COMMAND_MODULES.map((module) => module.load()));
  return modules.flat();
}
