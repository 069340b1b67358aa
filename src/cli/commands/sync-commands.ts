import { parseArgs } from "node:util";
import { serve as serveHttp } from "@hono/node-server";
import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { startSmtpListener, type SmtpListener } from "../../adapters/smtp-listener.js";
import { createApp } from "../../http/app.js";
import { DEFAULT_SYNC_INTERVAL_MS, startSyncScheduler } from "../../jobs/sync-scheduler.js";
import { addConnector, listConnectors } from "../../services/connectors-service.js";
import { RecipientIndex } from "../../services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../services/recipient-settings-service.js";
import { syncAll, syncAllAccounts } from "../../services/sync-service.js";
import { EXIT_OK, UsageError, type CliCommand, type CliIo } from "../command.js";
import { parseCount, printJson, requireOne, withDirectory } from "../directory-session.js";

const DB = { db: { type: "string" } } as const;
const ACCOUNT = { account: { type: "string" } } as const;
const JSON_FLAG = { json: { type: "boolean" } } as const;

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
        ...DB,
        ...ACCOUNT,
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
      options: { ...DB, ...ACCOUNT, ...JSON_FLAG },
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
      options: { ...DB, ...ACCOUNT, ...JSON_FLAG },
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
      options: { ...DB, "recipient-validation": { type: "string" } },
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
      options: { ...DB, ...ACCOUNT, unknown: { type: "string" } },
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
      options: { ...DB, ...JSON_FLAG },
    });
    const address = requireOne(positionals, "ADDRESS");
    const result = await withDirectory(values.db, (context) => new RecipientIndex(context.db).check(address));
    if (values.json === true) printJson(result, io.stdout);
    else io.stdout(`${result.address}: ${result.verdict} (${result.smtpCode})\n`);
    return EXIT_OK;
  },
};

function parseListen(text: string): { host: string; port: number } {
  const match = /^(.+):([0-9]{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || port > 65535) throw new UsageError(`--smtp-listen needs HOST:PORT, not "${text}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
}

/** Resolves on the first SIGINT or SIGTERM; the listeners are removed again. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

export const serveCommand: CliCommand = {
  path: ["serve"],
  usage: "serve [--port N] [--host HOST] [--smtp-listen HOST:PORT] [--sync-every-minutes N] [--db URL]",
  summary:
    "Serve the API (127.0.0.1:8080), the SMTP recipient check when asked, and Sync All three times a day.",
  async run(args, io: CliIo) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        ...DB,
        port: { type: "string" },
        host: { type: "string" },
        "smtp-listen": { type: "string" },
        "sync-every-minutes": { type: "string" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const port = parseCount("--port", values.port) ?? 8080;
    const host = values.host ?? "127.0.0.1";
    const smtp = values["smtp-listen"] === undefined ? undefined : parseListen(values["smtp-listen"]);
    const minutes = parseCount("--sync-every-minutes", values["sync-every-minutes"]);
    const intervalMs = minutes === undefined || minutes === 0 ? DEFAULT_SYNC_INTERVAL_MS : minutes * 60_000;
    // Without a key the server still serves recipient checks; only the scheduled sync needs it.
    let secrets: ReturnType<typeof createSecretBox> | undefined;
    try {
      secrets = createSecretBox(loadSecretKey());
    } catch {
      io.stderr(
        "mailroster: secret_key_missing: scheduled Sync All is off until MAILROSTER_SECRET_KEY is set.\n",
      );
    }
    await withDirectory(values.db, async (context) => {
      // Trust the loaded copy for 250 ms: a change reaches RCPT TO within a quarter second, and a busy
      // listener skips the per-check database round trip (bench/smtp-rcpt.ts measures both).
      const index = new RecipientIndex(context.db, { maxStalenessMs: 250 });
      await index.refresh();
      const logError = (error: unknown): void => {
        io.stderr(`mailroster: ${error instanceof Error ? error.message : String(error)}\n`);
      };
      const app = createApp({ recipients: index, logError });
      const signal = waitForSignal();
      const http = serveHttp({ fetch: app.fetch, port, hostname: host });
      await new Promise<void>((resolve, reject) => {
        http.once("listening", resolve);
        http.once("error", reject);
      });
      const httpAddress = http.address();
      const httpPort = typeof httpAddress === "object" && httpAddress ? httpAddress.port : port;
      io.stdout(`mailroster: API on http://${host}:${httpPort}\n`);
      let listener: SmtpListener | undefined;
      if (smtp) {
        listener = await startSmtpListener({ ...smtp, judge: (address) => index.verdictOf(address) });
        io.stdout(`mailroster: SMTP recipient check on ${listener.host}:${listener.port}\n`);
      }
      const scheduler =
        secrets === undefined
          ? undefined
          : startSyncScheduler({
              intervalMs,
              run: async () => {
                for (const [account, result] of await syncAllAccounts(context, { secrets })) {
                  io.stdout(
                    `mailroster: Sync All ${account}: created ${result.created}, updated ${result.updated}, ` +
                      `reclaimed ${result.reclaimed}, flagged ${result.flagged}, removed ${result.removed}, ` +
                      `errors ${result.errors.length}\n`,
                  );
                }
              },
              onError: logError,
            });
      const received = await signal;
      io.stdout(`mailroster: ${received}: stopping\n`);
      await scheduler?.stop();
      await listener?.close();
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve();
        });
      });
    });
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
  serveCommand,
];
