import { parseArgs } from "node:util";
import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { addConnector, listConnectors } from "../../services/connectors-service.js";
import { RecipientIndex } from "../../services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../services/recipient-settings-service.js";
import { syncAll } from "../../services/sync-service.js";
import { EXIT_OK, UsageError, type CliCommand } from "../command.js";
import {
  ACCOUNT_OPTION,
  DB_OPTION,
  JSON_OPTION,
  printJson,
  requireOne,
  withDirectory,
} from "../directory-session.js";

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`missing ${flag}`);
  return value;
}

export const connectorsAddCommand: CliCommand = {
  path: ["connectors", "add"],
  usage:
    "connectors add NAME --type ldap|active-directory --url URL --bind-dn DN --bind-password PW --base-dn DN " +
    "[--filter FILTER] [--start-tls] [--ca-file PATH] [--remove-missing] [--account CODE] [--db URL]",
  summary: "Add an LDAP connector; the bind password is encrypted with MAILROSTER_SECRET_KEY.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB_OPTION,
        ...ACCOUNT_OPTION,
        type: { type: "string" },
        url: { type: "string" },
        "bind-dn": { type: "string" },
        "bind-password": { type: "string" },
        "base-dn": { type: "string" },
        filter: { type: "string" },
        "start-tls": { type: "boolean" },
        "ca-file": { type: "string" },
        "remove-missing": { type: "boolean" },
      },
    });
    const name = requireOne(positionals, "NAME");
    const request = {
      name,
      type: required(values.type, "--type ldap"),
      url: required(values.url, "--url URL"),
      bindDn: required(values["bind-dn"], "--bind-dn DN"),
      bindPassword: required(values["bind-password"], "--bind-password PW"),
      baseDn: required(values["base-dn"], "--base-dn DN"),
      filter: values.filter,
      startTls: values["start-tls"],
      caFile: values["ca-file"],
      removeMissing: values["remove-missing"],
      account: values.account,
    };
    const secrets = createSecretBox(loadSecretKey());
    const connector = await withDirectory(values.db, (context) => addConnector(context, secrets, request));
    // The password is never printed back, not even masked.
    io.stdout(
      `Added connector ${connector.name} (${connector.type}, ${connector.url}) to ${connector.account}.\n`,
    );
    return EXIT_OK;
  },
};

export const connectorsListCommand: CliCommand = {
  path: ["connectors", "list"],
  usage: "connectors list [--json] [--account CODE] [--db URL]",
  summary: "List the LDAP connectors (never their passwords).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const connectors = await withDirectory(values.db, (context) =>
      listConnectors(context, { account: values.account }),
    );
    if (values.json === true) printJson(connectors, io.stdout);
    else for (const c of connectors) io.stdout(`${c.account}\t${c.name}\t${c.type}\t${c.url}\t${c.baseDn}\n`);
    return EXIT_OK;
  },
};

export const syncCommand: CliCommand = {
  path: ["sync"],
  usage: "sync [--json] [--account CODE] [--db URL]",
  summary: "Sync All: pull every user of every connector of the account.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, ...JSON_OPTION },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const secrets = createSecretBox(loadSecretKey());
    const result = await withDirectory(values.db, (context) =>
      syncAll(context, { account: values.account }, { secrets }),
    );
    if (values.json === true) printJson(result, io.stdout);
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
};

export const domainsSetCommand: CliCommand = {
  path: ["domains", "set"],
  usage: "domains set DOMAIN --recipient-validation accept-all|known-recipients|directory-users [--db URL]",
  summary: "Change an internal domain's recipient-validation mode.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, "recipient-validation": { type: "string" } },
    });
    const domain = requireOne(positionals, "DOMAIN");
    const mode = required(values["recipient-validation"], "--recipient-validation MODE");
    const view = await withDirectory(values.db, (context) =>
      setRecipientValidation(context, { domain, recipientValidation: mode }),
    );
    io.stdout(`${view.domain}: recipient validation ${view.recipientValidation}.\n`);
    return EXIT_OK;
  },
};

export const recipientsSetCommand: CliCommand = {
  path: ["recipients", "set"],
  usage: "recipients set --unknown defer|reject [--account CODE] [--db URL]",
  summary: "What the account answers for a recipient its domain does not accept (default: defer, 451 4.1.1).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...ACCOUNT_OPTION, unknown: { type: "string" } },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const action = required(values.unknown, "--unknown defer|reject");
    const result = await withDirectory(values.db, (context) =>
      setUnknownRecipientAction(context, { action, account: values.account }),
    );
    io.stdout(
      `${result.account}: unknown recipients are ${result.unknownRecipients === "defer" ? "deferred (451 4.1.1)" : "rejected (550 5.1.1)"}.\n`,
    );
    return EXIT_OK;
  },
};

export const recipientsCheckCommand: CliCommand = {
  path: ["recipients", "check"],
  usage: "recipients check ADDRESS [--json] [--db URL]",
  summary: "The verdict RCPT TO would get: accept (250), defer (451) or reject (550).",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { ...DB_OPTION, ...JSON_OPTION },
    });
    const address = requireOne(positionals, "ADDRESS");
    const result = await withDirectory(values.db, (context) => new RecipientIndex(context.db).check(address));
    if (values.json === true) printJson(result, io.stdout);
    else io.stdout(`${result.address}: ${result.verdict} (${result.smtpCode})\n`);
    return EXIT_OK;
  },
};

export const SYNC_COMMANDS: readonly CliCommand[] = [
  connectorsAddCommand,
  connectorsListCommand,
  syncCommand,
  domainsSetCommand,
  recipientsSetCommand,
  recipientsCheckCommand,
];
