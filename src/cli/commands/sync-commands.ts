import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { addConnector, listConnectors } from "../../services/sync/connectors.js";
import { RecipientIndex } from "../../services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../services/recipient-settings-service.js";
import { syncAll } from "../../services/sync/run-sync.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { printJson, withDirectory } from "../directory-session.js";
import { defineListCommand, defineShowCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, JSON_OPTION } from "../shared-options.js";

export const connectorsAddCommand = defineCommand(
  {
    path: ["connectors", "add"],
    summary: "Add an LDAP connector; the bind password is encrypted with MAILROSTER_SECRET_KEY.",
    positionals: [{ name: "NAME", description: "The connector's name." }],
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
      url: options.url,
      bindDn: options["bind-dn"],
      bindPassword: options["bind-password"],
      baseDn: options["base-dn"],
      filter: options.filter,
      startTls: options["start-tls"],
      caFile: options["ca-file"],
      removeMissing: options["remove-missing"],
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

export const syncCommand = defineCommand(
  {
    path: ["sync"],
    summary: "Sync All: pull every user of every connector of the account.",
    positionals: [],
    options: { ...JSON_OPTION, ...ACCOUNT_OPTION, ...DB_OPTION },
  },
  async ({ options }, io) => {
    const secrets = createSecretBox(loadSecretKey());
    const result = await withDirectory(options.db, (context) =>
      syncAll(context, { account: options.account }, { secrets }),
    );
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

/** The service checks the mode, so a wrong one is refused with its code (recipient_validation_invalid). */
const RECIPIENT_VALIDATION = "accept-all|known-recipients|directory-users";

export const domainsSetCommand = defineCommand(
  {
    path: ["domains", "set"],
    summary: "Change an internal domain's recipient-validation mode.",
    positionals: [{ name: "DOMAIN", description: "The internal domain." }],
    options: {
      "recipient-validation": {
        type: "string",
        value: RECIPIENT_VALIDATION,
        required: true,
        description: "Which recipients the domain accepts.",
      },
      ...DB_OPTION,
    },
  },
  async ({ positionals, options }, io) => {
    const view = await withDirectory(options.db, (context) =>
      setRecipientValidation(context, {
        domain: positionals.DOMAIN,
        recipientValidation: options["recipient-validation"],
      }),
    );
    io.stdout(`${view.domain}: recipient validation ${view.recipientValidation}.\n`);
    return EXIT_OK;
  },
);

export const recipientsSetCommand = defineCommand(
  {
    path: ["recipients", "set"],
    summary:
      "What the account answers for a recipient its domain does not accept (default: defer, 451 4.1.1).",
    positionals: [],
    options: {
      unknown: {
        type: "string",
        value: "defer|reject",
        required: true,
        description: "defer: 451 4.1.1, try later; reject: 550 5.1.1.",
      },
      ...ACCOUNT_OPTION,
      ...DB_OPTION,
    },
  },
  async ({ options }, io) => {
    const result = await withDirectory(options.db, (context) =>
      setUnknownRecipientAction(context, { action: options.unknown, account: options.account }),
    );
    io.stdout(
      `${result.account}: unknown recipients are ${result.unknownRecipients === "defer" ? "deferred (451 4.1.1)" : "rejected (550 5.1.1)"}.\n`,
    );
    return EXIT_OK;
  },
);

export const recipientsCheckCommand = defineShowCommand(
  {
    path: ["recipients", "check"],
    summary: "The verdict RCPT TO would get: accept (250), defer (451) or reject (550).",
    positional: { name: "ADDRESS", description: "The recipient's address." },
  },
  (context, address) => new RecipientIndex(context.db).check(address),
  (result) => `${result.address}: ${result.verdict} (${result.smtpCode})\n`,
);

export const SYNC_COMMANDS: readonly CliCommand[] = [
  connectorsAddCommand,
  connectorsListCommand,
  syncCommand,
  domainsSetCommand,
  recipientsSetCommand,
  recipientsCheckCommand,
];
