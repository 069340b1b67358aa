// Recipient validation: a domain's setting, the account's answer for unknown recipients, and the verdict
// for one address. A module of their own, so `recipients check` (a point look-up) loads none of Sync All's
// LDAP and job modules: they were half of its start.
import { checkRecipientInDatabase } from "../../services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../services/recipient-settings-service.js";
import { EXIT_OK, defineCommand, type CliCommand } from "../command.js";
import { withDirectory } from "../directory-session.js";
import { defineShowCommand } from "../read-commands.js";
import { ACCOUNT_OPTION, DB_OPTION, RECIPIENT_VALIDATION_OPTION } from "../shared-options.js";

export const domainsSetCommand = defineCommand(
  {
    path: ["domains", "set"],
    summary: "Change an internal domain's recipient-validation mode.",
    positionals: [{ name: "DOMAIN", description: "The internal domain." }],
    options: {
      "recipient-validation": { ...RECIPIENT_VALIDATION_OPTION["recipient-validation"], required: true },
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
  // A point look-up: one process asking about one address loads nothing else.
  (context, address) => checkRecipientInDatabase(context.db, address),
  (result) => `${result.address}: ${result.verdict} (${result.smtpCode})\n`,
);

export const RECIPIENT_COMMANDS: readonly CliCommand[] = [
  domainsSetCommand,
  recipientsSetCommand,
  recipientsCheckCommand,
];
