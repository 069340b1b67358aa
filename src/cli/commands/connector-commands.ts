import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { addConnector, listConnectors } from "../../services/sync/connectors.js";
import { removeConnector } from "../../services/sync/remove-connector.js";
import { testConnector } from "../../services/sync/test-connector.js";
import { updateConnector } from "../../services/sync/update-connector.js";
import { UsageError } from "../command-spec.js";
import { EXIT_OK, EXIT_REFUSED, defineCommand, type CliCommand } from "../command.js";
import { printJson, withDirectory } from "../directory-session.js";
import { defineListCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";

// The LDAP connectors of Directory Synchronization: add, list, update, remove, test. Sync All itself and
// its runs are in sync-commands.ts.

const NAME = { name: "NAME", description: "The connector's name." } as const;

interface SettingOptions {
  readonly url?: string | undefined;
  readonly "bind-dn"?: string | undefined;
  readonly "bind-password"?: string | undefined;
  readonly "base-dn"?: string | undefined;
  readonly filter?: string | undefined;
  readonly "start-tls"?: boolean | undefined;
  readonly "remove-missing"?: boolean | undefined;
}

/** The settings `connectors add` and `connectors update` both take, as the services name them. */
function settingsOf<O extends SettingOptions>(
  options: O,
): Pick<O, "url" | "filter"> & {
  bindDn: O["bind-dn"];
  bindPassword: O["bind-password"];
  baseDn: O["base-dn"];
  startTls: O["start-tls"];
  removeMissing: O["remove-missing"];
} {
  return {
    url: options.url,
    bindDn: options["bind-dn"],
    bindPassword: options["bind-password"],
    baseDn: options["base-dn"],
    filter: options.filter,
    startTls: options["start-tls"],
    removeMissing: options["remove-missing"],
  };
}

export const connectorsAddCommand = defineCommand(
  {
    path: ["connectors", "add"],
    summary: "Add an LDAP connector; the bind password is encrypted with MAILROSTER_SECRET_KEY.",
    positionals: [NAME],
    options: {
      // The service checks the type, so a wrong one is refused with its code.
      type: {
        type: "string",
        value: "ldap|active-directory",
        required: true,
        description: "The server's kind.",
      },
      url: { type: "string", value: "URL", required: true, description: "ldap://HOST or ldaps://HOST." },
      "bind-dn": { type: "string", value: "DN", required: true, description: "The DN to bind as." },
      "bind-password": {
        type: "string",
        value: "PW",
        required: true,
        description: "Its password (stored encrypted, never shown again).",
      },
      "base-dn": { type: "string", value: "DN", required: true, description: "Where to search for users." },
      filter: { type: "string", value: "FILTER", description: "An LDAP filter for the users to sync." },
      "start-tls": { type: "boolean", description: "Upgrade ldap:// to TLS with StartTLS." },
      "ca-file": { type: "string", value: "PATH", description: "A CA certificate (PEM) to trust." },
      "remove-missing": {
        type: "boolean",
        description: "Remove users the directory no longer lists (mark and sweep).",
      },
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const request = {
      name: positionals.NAME,
      type: options.type,
      ...settingsOf(options),
      caFile: options["ca-file"],
      account: options.account,
    };
    const secrets = createSecretBox(loadSecretKey());
    const connector = await withDirectory(options.db, (context) => addConnector(context, secrets, request));
    // The password is never printed back, not even masked.
    io.stdout(
      `Added connector ${connector.name} (${connector.type}, ${connector.url}) to ${connector.account}.\n`,
    );
    return EXIT_OK;
  },
);

export const connectorsListCommand = defineListCommand(
  { path: ["connectors", "list"], summary: "List the LDAP connectors (never their passwords)." },
  listConnectors,
  (c) => `${c.account}\t${c.name}\t${c.type}\t${c.url}\t${c.baseDn}\n`,
);

export const connectorsUpdateCommand = defineCommand(
  {
    path: ["connectors", "update"],
    summary: "Change a connector's settings; what is not given stays (the bind password too).",
    positionals: [NAME],
    options: {
      rename: { type: "string", value: "NEW", description: "A new name for the connector." },
      url: { type: "string", value: "URL", description: "ldap://HOST or ldaps://HOST." },
      "bind-dn": { type: "string", value: "DN", description: "The DN to bind as." },
      "bind-password": {
        type: "string",
        value: "PW",
        description: "A new password (stored encrypted, never shown again).",
      },
      "base-dn": { type: "string", value: "DN", description: "Where to search for users." },
      filter: { type: "string", value: "FILTER", description: "An LDAP filter for the users to sync." },
      "start-tls": { type: "boolean", negatable: true, description: "Upgrade ldap:// to TLS with StartTLS." },
      "ca-file": { type: "string", value: "PATH", description: "A CA certificate (PEM) to trust." },
      "system-ca": { type: "boolean", description: "Forget the CA file: trust the system's CAs." },
      "remove-missing": {
        type: "boolean",
        negatable: true,
        description: "Remove users the directory no longer lists (mark and sweep).",
      },
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    if (options["system-ca"] && options["ca-file"] !== undefined) {
      throw new UsageError("--ca-file and --system-ca exclude each other");
    }
    const request = {
      name: positionals.NAME,
      account: options.account,
      rename: options.rename,
      ...settingsOf(options),
      caFile: options["system-ca"] ? null : options["ca-file"],
    };
    const secrets = createSecretBox(loadSecretKey());
    const connector = await withDirectory(options.db, (context) =>
      updateConnector(context, secrets, request),
    );
    io.stdout(
      `Updated connector ${connector.name} (${connector.type}, ${connector.url}) of ${connector.account}.\n`,
    );
    return EXIT_OK;
  },
);

export const connectorsRemoveCommand = defineCommand(
  {
    path: ["connectors", "remove"],
    summary: "Remove a connector; its users stay, as Directory Users no connector maps.",
    positionals: [NAME],
    options: { ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const removed = await withDirectory(options.db, (context) =>
      removeConnector(context, { name: positionals.NAME, account: options.account }),
    );
    io.stdout(
      `Removed connector ${removed.name} of ${removed.account}; ${removed.usersUnmapped} user(s) it mapped stay, no longer synced.\n`,
    );
    return EXIT_OK;
  },
);

export const connectorsTestCommand = defineCommand(
  {
    path: ["connectors", "test"],
    summary: "Bind as the connector and count the entries its filter finds (at most 1,000); writes nothing.",
    positionals: [NAME],
    options: { ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    const secrets = createSecretBox(loadSecretKey());
    const result = await withDirectory(options.db, (context) =>
      testConnector(context, { secrets }, { name: positionals.NAME, account: options.account }),
    );
    if (options.json) printJson(result, io.stdout);
    else if (result.error === null) {
      io.stdout(
        `${result.name}: ok, ${result.entries}${result.more ? "+" : ""} entries found, ${result.skipped} of them would be skipped.\n`,
      );
    } else io.stdout(`${result.name}: ${result.error.code}: ${result.error.message}\n`);
    // A failed test is a refusal to the shell: scripts can tell by the exit code.
    return result.ok ? EXIT_OK : EXIT_REFUSED;
  },
);

export const CONNECTOR_COMMANDS: readonly CliCommand[] = [
  connectorsAddCommand,
  connectorsListCommand,
  connectorsUpdateCommand,
  connectorsRemoveCommand,
  connectorsTestCommand,
];
