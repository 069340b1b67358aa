import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { isCommonPassword } from "../../adapters/common-passwords.js";
import { createArgon2Hasher } from "../../adapters/password-hasher.js";
import { DEFAULT_PASSWORD_POLICY, checkPassword } from "../../directory/password-policy.js";
import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { startSmtpListener, type SmtpLimits, type SmtpListener } from "../../adapters/smtp-listener.js";
import { createApp } from "../../http/app.js";
import { ImportRunner } from "../../jobs/import-runner.js";
import { dispatchOptionsFromEnv, dispatchOutbox } from "../../jobs/outbox-dispatcher.js";
import { failInterruptedImports } from "../../services/import-recovery-service.js";
import { DEFAULT_SYNC_INTERVAL_MS, startSyncScheduler } from "../../jobs/sync-scheduler.js";
import { RecipientIndex } from "../../services/recipient-index.js";
import { syncAllAccounts } from "../../services/sync-service.js";
import { startServer } from "../../http/server.js";
import { initDirectory } from "../../services/accounts-service.js";
import { listAccounts } from "../../store/accounts-repository.js";
import { migrateToLatest } from "../../store/migrate.js";
import { openDatabase } from "../../store/open-database.js";
import { EXIT_OK, UsageError, type CliCommand } from "../command.js";
import { chooseDatabaseUrl, parseCount } from "../directory-session.js";

const FIRST_ADMIN = "admin@mailroster.local";

/** A password shown once: 18 random characters plus a symbol, drawn again until the default policy takes it. */
function generatePassword(): string {
  for (;;) {
    const password = `${randomBytes(14).toString("base64url")}-${randomBytes(3).toString("base64url")}`;
    if (checkPassword(DEFAULT_PASSWORD_POLICY, password, isCommonPassword).length === 0) return password;
  }
}

function parsePort(text: string | undefined): number {
  const port = parseCount("--port", text ?? process.env.PORT ?? "8080");
  if (port === undefined || port > 65_535) throw new UsageError(`--port needs 0 to 65535`);
  return port;
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(.+):([0-9]{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || port > 65535) throw new UsageError(`--smtp-listen needs HOST:PORT, not "${text}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
}

/** The SMTP listener's flood-limit flags and the limit each sets; unset ones keep DEFAULT_SMTP_LIMITS. */
const SMTP_LIMIT_FLAGS = {
  "smtp-max-recipients": "maxRecipients",
  "smtp-max-connections-per-client": "maxConnectionsPerClient",
  "smtp-max-connections-per-minute": "maxConnectionsPerMinute",
  "smtp-max-clients": "maxClients",
  "smtp-max-recipients-per-minute": "maxRecipientsPerMinute",
} as const satisfies Record<string, keyof SmtpLimits>;
type SmtpLimitFlag = keyof typeof SMTP_LIMIT_FLAGS;

function parseSmtpLimits(
  values: Partial<Record<SmtpLimitFlag, string>>,
  listening: boolean,
): Partial<Record<keyof SmtpLimits, number>> {
  const limits: Partial<Record<keyof SmtpLimits, number>> = {};
  for (const flag of Object.keys(SMTP_LIMIT_FLAGS) as SmtpLimitFlag[]) {
    const value = parseCount(`--${flag}`, values[flag]);
    if (value === undefined) continue;
    if (!listening) throw new UsageError(`--${flag} needs --smtp-listen`);
    if (value < 1 || !Number.isSafeInteger(value)) {
      throw new UsageError(`--${flag} needs a whole number >= 1`);
    }
    limits[SMTP_LIMIT_FLAGS[flag]] = value;
  }
  return limits;
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
  usage:
    "serve [--db URL] [--port N] [--host HOST] [--admin EMAIL] [--smtp-listen HOST:PORT] [--smtp-max-recipients N] [--smtp-max-connections-per-client N] [--smtp-max-connections-per-minute N] [--smtp-max-clients N] [--smtp-max-recipients-per-minute N] [--sync-every-minutes N] [--max-upload-mb N] [--secure-cookies] [--trust-proxy]",
  summary:
    "Start the console and API (http://127.0.0.1:8080), the SMTP recipient check when asked, and Sync All three times a day; on an empty database, first create an account and a Super Administrator.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        db: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        admin: { type: "string" },
        "smtp-listen": { type: "string" },
        "smtp-max-recipients": { type: "string" },
        "smtp-max-connections-per-client": { type: "string" },
        "smtp-max-connections-per-minute": { type: "string" },
        "smtp-max-clients": { type: "string" },
        "smtp-max-recipients-per-minute": { type: "string" },
        "sync-every-minutes": { type: "string" },
        "max-upload-mb": { type: "string" },
        // The session cookie gets Secure always, or (trusting X-Forwarded-Proto) when the proxy saw https.
        "secure-cookies": { type: "boolean" },
        "trust-proxy": { type: "boolean" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const port = parsePort(values.port);
    const host = values.host ?? "127.0.0.1";
    const smtp = values["smtp-listen"] === undefined ? undefined : parseListen(values["smtp-listen"]);
    const smtpLimits = parseSmtpLimits(values, smtp !== undefined);
    const minutes = parseCount("--sync-every-minutes", values["sync-every-minutes"]);
    const intervalMs = minutes === undefined || minutes === 0 ? DEFAULT_SYNC_INTERVAL_MS : minutes * 60_000;
    const uploadMb = parseCount("--max-upload-mb", values["max-upload-mb"]) ?? 64;
    if (uploadMb < 1 || uploadMb > 1024) throw new UsageError("--max-upload-mb needs 1 to 1024");
    // Without a key the server still serves the console and recipient checks; only scheduled sync needs it.
    let secrets: ReturnType<typeof createSecretBox> | undefined;
    try {
      secrets = createSecretBox(loadSecretKey());
    } catch {
      io.stderr(
        "mailroster: secret_key_missing: scheduled Sync All is off until MAILROSTER_SECRET_KEY is set.\n",
      );
    }
    const open = await openDatabase(chooseDatabaseUrl(values.db));
    try {
      await migrateToLatest(open.db);
      const base = { db: open.db, hasher: createArgon2Hasher(), isCommonPassword, now: () => new Date() };
      let firstSignIn: { email: string; password: string } | undefined;
      if ((await listAccounts(open.db)).length === 0) {
        const email = values.admin ?? FIRST_ADMIN;
        const password = generatePassword();
        await initDirectory(
          { ...base, actor: { kind: "system", name: "serve" } },
          {
            account: "My Organisation",
            code: "ORG",
            domains: [email.slice(email.lastIndexOf("@") + 1)],
            admin: email,
            adminPassword: password,
            forceChangePassword: true,
          },
        );
        firstSignIn = { email, password };
      }
      // Trust the loaded copy for 250 ms: a change reaches RCPT TO within a quarter second, and a busy
      // listener skips the per-check database round trip (bench/smtp-rcpt.ts measures both).
      const recipients = new RecipientIndex(open.db, { maxStalenessMs: 250 });
      await recipients.refresh();
      const logError = (error: unknown): void => {
        io.stderr(`mailroster: ${error instanceof Error ? error.message : String(error)}\n`);
      };
      // One server per database: an import still uploaded or saving was cut off when the last one stopped.
      const interrupted = await failInterruptedImports({ ...base, actor: { kind: "system", name: "serve" } });
      if (interrupted > 0) io.stdout(`mailroster: ${interrupted} interrupted import(s) marked failed\n`);
      const imports = new ImportRunner({
        maxFileBytes: uploadMb * 1024 * 1024,
        // After commit: send what an import queued (the failure mail); without SMTP_URL it stays queued.
        afterImport: () => dispatchOutbox(open.db, dispatchOptionsFromEnv(base.now)),
        onError: logError,
      });
      const signal = waitForSignal();
      const cookies = { secureCookies: values["secure-cookies"], trustProxy: values["trust-proxy"] };
      const server = await startServer(createApp({ ...base, ...cookies, recipients, imports }), host, port);
      io.stdout(`mailroster console: ${server.url}\n`);
      io.stdout(`mailroster: API on ${server.url}\n`);
      if (firstSignIn) {
        io.stdout(
          `First sign-in (shown once; you will choose a new password):\n` +
            `  Email     ${firstSignIn.email}\n  Password  ${firstSignIn.password}\n`,
        );
      }
      let listener: SmtpListener | undefined;
      if (smtp) {
        listener = await startSmtpListener({
          ...smtp,
          limits: smtpLimits,
          judge: (address) => recipients.verdictOf(address),
        });
        io.stdout(`mailroster: SMTP recipient check on ${listener.host}:${listener.port}\n`);
      }
      const context = { ...base, actor: { kind: "system" as const, name: "serve" } };
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
      io.stdout("Press Ctrl+C to stop.\n");
      const received = await signal;
      io.stdout(`mailroster: ${received}: stopping\n`);
      await scheduler?.stop();
      await listener?.close();
      await server.close();
      // A save in progress finishes (or fails) and is recorded before the database closes.
      await imports.close();
      return EXIT_OK;
    } finally {
      await open.close();
    }
  },
};
