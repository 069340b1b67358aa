import { isCommonPassword } from "../../adapters/common-passwords.js";
import { createArgon2Hasher } from "../../adapters/password-hasher.js";
import { createSecretBox, loadSecretKey } from "../../adapters/secret-box.js";
import { startMailAuthSocket, type MailAuthSocket } from "../../adapters/mail-auth-socket.js";
import { startSmtpListener, type SmtpLimits, type SmtpListener } from "../../adapters/smtp-listener.js";
import { createApp, SCIM_REQUESTS_PER_MINUTE } from "../../http/app.js";
import { ImportRunner } from "../../jobs/import-runner.js";
import { dispatchOutbox } from "../../services/dispatch-outbox.js";
import { dispatchOptionsFromEnv } from "../mail-options.js";
import type { ServiceContext } from "../../services/context.js";
import { checkMailSignIn } from "../../services/user-sign-in-mail.js";
import { failInterruptedImports } from "../../services/imports/import-recovery.js";
import {
  DEFAULT_SYNC_INTERVAL_MS,
  MAX_SYNC_INTERVAL_MINUTES,
  startSyncScheduler,
} from "../../jobs/sync-scheduler.js";
import { SyncRunner } from "../../jobs/sync-runner.js";
import { DEFAULT_LEASE_MS } from "../../jobs/leases.js";
import { startSharedMachinery } from "../../jobs/several-servers.js";
import { RateLimiter } from "../../http/rate-limit.js";
import { RecipientIndex } from "../../services/recipient-index.js";
import { failInterruptedSyncRuns } from "../../services/sync/sync-run-recovery.js";
import { OidcHost } from "../../http/oidc/oidc-host.js";
import { startServer } from "../../http/server.js";
import { DEFAULT_FIRST_ADMINISTRATOR, ensureFirstAdministrator } from "../../services/first-run.js";
import { migrateToLatest } from "../../store/migrate.js";
import { openDatabase } from "../../store/open-database.js";
import { UsageError, parseCount, type CountOption } from "../command-spec.js";
import { EXIT_OK, defineCommand } from "../command.js";
import { chooseDatabaseUrl } from "../directory-session.js";
import { DB_OPTION } from "../shared-options.js";
import { databaseLine, optionalLines, secretKeyOrNothing } from "../serve-messages.js";

function parsePort(flag: number | undefined): number {
  const port = flag ?? parseCount("--port", process.env.PORT ?? "8080");
  if (port === undefined || port > 65_535) throw new UsageError(`--port needs 0 to 65535`);
  return port;
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(.+):([0-9]{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || port > 65535) throw new UsageError(`--smtp-listen needs HOST:PORT, not "${text}"`);
  return { host: match[1].replace(/^\[(.*)\]$/, "$1"), port };
}

function parsePublicUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !["http:", "https:"].includes(url.protocol) || url.search !== "" || url.hash !== "") {
    throw new UsageError(`--public-url needs an http(s) URL without query or fragment, not "${text}"`);
  }
  return url.href.replace(/\/+$/, "");
}

/** The SMTP listener's flood-limit flags, the limit each sets and what it means; unset ones keep DEFAULT_SMTP_LIMITS. */
const SMTP_LIMIT_FLAGS = {
  "smtp-max-recipients": ["maxRecipients", "RCPT TO per transaction; beyond, 452 4.5.3 (default 100)."],
  "smtp-max-connections-per-client": [
    "maxConnectionsPerClient",
    "Connections at once from one IP; beyond, 421 4.7.0 (default 20).",
  ],
  "smtp-max-connections-per-minute": [
    "maxConnectionsPerMinute",
    "New connections per IP per minute; beyond, 421 4.7.0 (default 120).",
  ],
  "smtp-max-clients": ["maxClients", "Connections at once in all; beyond, 421 (default 500)."],
  "smtp-max-recipients-per-minute": [
    "maxRecipientsPerMinute",
    "RCPT TO per IP per minute; beyond, 450 4.7.1 (default: no limit).",
  ],
} as const satisfies Record<string, readonly [keyof SmtpLimits, string]>;
type SmtpLimitFlag = keyof typeof SMTP_LIMIT_FLAGS;

const SMTP_LIMIT_OPTIONS = Object.fromEntries(
  Object.entries(SMTP_LIMIT_FLAGS).map(([flag, [, description]]) => [
    flag,
    { type: "count", description: `${description} Needs --smtp-listen.` },
  ]),
) as Record<SmtpLimitFlag, CountOption>;

function parseSmtpLimits(
  values: Readonly<Record<SmtpLimitFlag, number | undefined>>,
  listening: boolean,
): Partial<Record<keyof SmtpLimits, number>> {
  const limits: Partial<Record<keyof SmtpLimits, number>> = {};
  for (const flag of Object.keys(SMTP_LIMIT_FLAGS) as SmtpLimitFlag[]) {
    const value = values[flag];
    if (value === undefined) continue;
    if (!listening) throw new UsageError(`--${flag} needs --smtp-listen`);
    if (value < 1 || !Number.isSafeInteger(value)) {
      throw new UsageError(`--${flag} needs a whole number >= 1`);
    }
    limits[SMTP_LIMIT_FLAGS[flag][0]] = value;
  }
  return limits;
}

/** Resolves on the first SIGINT or SIGTERM; the listeners are removed again. */
/** The mail access checks on a Unix socket (--mail-auth-socket), through the same check as mail-auth's own. */
async function startMailAuth(
  path: string | undefined,
  mode: number,
  base: Omit<ServiceContext, "actor">,
  onError: (error: unknown) => void,
): Promise<MailAuthSocket | undefined> {
  if (path === undefined) return undefined;
  const context: ServiceContext = { ...base, actor: { kind: "system", name: "mail-auth" } };
  try {
    return await startMailAuthSocket({
      path,
      mode,
      check: (request) =>
        checkMailSignIn(context, {
          email: request.user,
          password: request.password,
          service: request.service,
        }),
      onError,
    });
  } catch (error) {
    throw new UsageError(
      `--mail-auth-socket ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

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

export const serveCommand = defineCommand(
  {
    path: ["serve"],
    summary:
      "Start the console and API (http://127.0.0.1:8080), the SMTP recipient check when asked, and Sync All three times a day; on an empty database, first create an account and a Super Administrator.",
    positionals: [],
    options: {
      ...DB_OPTION,
      port: { type: "count", description: "The HTTP port (default: PORT, else 8080; 0: any free port)." },
      host: { type: "string", value: "HOST", default: "127.0.0.1", description: "The address to listen on." },
      admin: {
        type: "string",
        value: "EMAIL",
        default: DEFAULT_FIRST_ADMINISTRATOR,
        description: "On an empty database, the first Super Administrator.",
      },
      "smtp-listen": {
        type: "string",
        value: "HOST:PORT",
        description: "Answer RCPT TO on this address with each recipient's verdict.",
      },
      ...SMTP_LIMIT_OPTIONS,
      "mail-auth-socket": {
        type: "string",
        value: "PATH",
        description:
          "Answer `mailroster mail-auth --socket PATH` (Dovecot's checkpassword) on this Unix socket: a warm check per login.",
      },
      "mail-auth-socket-mode": {
        type: "string",
        value: "MODE",
        default: "660",
        description: "The socket's permissions, in octal: Dovecot's auth worker must be able to connect.",
      },
      "sync-every-minutes": {
        type: "count",
        description: `How often Sync All runs, 1 to ${MAX_SYNC_INTERVAL_MINUTES} (a week); default: every 8 hours.`,
      },
      "sync-every-seconds": {
        type: "count",
        description: "How often Sync All runs, 1 to 3600 s, for trials and tests (instead of minutes).",
      },
      "job-lease-seconds": {
        type: "count",
        default: DEFAULT_LEASE_MS / 1000,
        description:
          "On PostgreSQL: how long an import lives on once its server stops beating, 1 to 300 s; then another server fails it.",
      },
      "max-upload-mb": {
        type: "count",
        default: 64,
        description: "The largest upload accepted, 1 to 1024 MiB.",
      },
      // The session cookie gets Secure always, or (trusting X-Forwarded-Proto) when the proxy saw https.
      "secure-cookies": { type: "boolean", description: "Always mark the session cookie Secure." },
      "trust-proxy": {
        type: "boolean",
        description: "Trust X-Forwarded-Proto and X-Forwarded-For from a reverse proxy in front.",
      },
      "public-url": {
        type: "string",
        value: "URL",
        description:
          "The server's public URL (https://directory.example.com): the OpenID Connect issuer is URL/oidc; default: each request's own (X-Forwarded-Host/Proto with --trust-proxy).",
      },
    },
  },
  async ({ options: values }, io) => {
    const port = parsePort(values.port);
    const host = values.host;
    const smtp = values["smtp-listen"] === undefined ? undefined : parseListen(values["smtp-listen"]);
    const smtpLimits = parseSmtpLimits(values, smtp !== undefined);
    const minutes = values["sync-every-minutes"];
    if (minutes !== undefined && minutes > MAX_SYNC_INTERVAL_MINUTES) {
      throw new UsageError(`--sync-every-minutes needs 1 to ${MAX_SYNC_INTERVAL_MINUTES} (a week)`);
    }
    const seconds = values["sync-every-seconds"];
    if (seconds !== undefined && (seconds < 1 || seconds > 3600)) {
      throw new UsageError("--sync-every-seconds needs 1 to 3600");
    }
    const intervalMs =
      seconds !== undefined
        ? seconds * 1000
        : minutes === undefined || minutes === 0
          ? DEFAULT_SYNC_INTERVAL_MS
          : minutes * 60_000;
    const leaseSeconds = values["job-lease-seconds"];
    if (leaseSeconds < 1 || leaseSeconds > 300) throw new UsageError("--job-lease-seconds needs 1 to 300");
    const publicUrl = parsePublicUrl(values["public-url"]);
    const socketMode = values["mail-auth-socket-mode"];
    if (!/^[0-7]{3,4}$/.test(socketMode))
      throw new UsageError("--mail-auth-socket-mode needs octal permissions such as 660");
    const uploadMb = values["max-upload-mb"];
    if (uploadMb < 1 || uploadMb > 1024) throw new UsageError("--max-upload-mb needs 1 to 1024");
    // Without a key the server still serves the console and recipient checks; a key set but malformed stops it.
    const key = secretKeyOrNothing(loadSecretKey);
    const secrets = key === undefined ? undefined : createSecretBox(key);
    const databaseUrl = chooseDatabaseUrl(values.db);
    // A server checkpoints SQLite's log on a thread of its own, outside the commits it waits for.
    const open = await openDatabase(databaseUrl, {
      backgroundCheckpoints: true,
      onBackgroundError: (error) => {
        io.stderr(`mailroster: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    });
    try {
      io.stdout(databaseLine(databaseUrl, await migrateToLatest(open.db)));
      const base = { db: open.db, hasher: createArgon2Hasher(), isCommonPassword, now: () => new Date() };
      const firstSignIn = await ensureFirstAdministrator(
        { ...base, actor: { kind: "system", name: "serve" } },
        { email: values.admin },
      );
      // Trust the loaded copy for 250 ms: a change reaches RCPT TO within a quarter second, and a busy
      // listener skips the per-check database round trip (bench/smtp-rcpt.ts measures both).
      const recipients = new RecipientIndex(open.db, { maxStalenessMs: 250 });
      await recipients.refresh();
      const logError = (error: unknown): void => {
        io.stderr(`mailroster: ${error instanceof Error ? error.message : String(error)}\n`);
      };
      const system = { ...base, actor: { kind: "system" as const, name: "serve" } };
      const dispatch = (): Promise<unknown> => dispatchOutbox(open.db, dispatchOptionsFromEnv(base.now));
      // On PostgreSQL several servers may share the database: import leases, NOTIFY, shared counts.
      const shared = await startSharedMachinery({
        url: databaseUrl,
        db: open.db,
        context: system,
        leaseMs: leaseSeconds * 1000,
        onDirectoryChange: () => {
          recipients.invalidate();
        },
        onImportFailed: () => {
          dispatch().catch(logError);
        },
        onError: logError,
      });
      // Alone, an import still uploaded or saving was cut off when the last server stopped; shared, only
      // one whose server has not beaten for a lease (the watchdogs settle the others).
      const interrupted = await failInterruptedImports(system, {
        staleAfterMs: shared ? leaseSeconds * 1000 : undefined,
      });
      if (interrupted > 0) io.stdout(`mailroster: ${interrupted} interrupted import(s) marked failed\n`);
      // The same for Sync All runs: shared, a running one may be another server's, alive.
      const stoppedRuns = await failInterruptedSyncRuns(system, {
        staleAfterMs: shared ? leaseSeconds * 1000 : undefined,
      });
      if (stoppedRuns > 0)
        io.stdout(`mailroster: ${stoppedRuns} interrupted Sync All run(s) marked failed\n`);
      // Sync All from the API and the scheduler alike, one run per account at a time, in the background.
      const sync = new SyncRunner({
        secrets,
        onFinished: (account, runId, result) => {
          io.stdout(
            `mailroster: Sync All ${account.accountCode} (run ${runId}): created ${result.created}, ` +
              `updated ${result.updated}, reclaimed ${result.reclaimed}, flagged ${result.flagged}, ` +
              `removed ${result.removed}, errors ${result.errorCount}\n`,
          );
        },
        onError: logError,
        leases: shared?.syncLeases,
      });
      const imports = new ImportRunner({
        maxFileBytes: uploadMb * 1024 * 1024,
        // After commit: send what an import queued (the failure mail); without SMTP_URL it stays queued.
        afterImport: dispatch,
        onError: logError,
        leases: shared?.leases,
      });
      // OpenID Connect needs the secret key: it seals the signing keys (made on the first start).
      const oidc =
        secrets === undefined
          ? undefined
          : await OidcHost.start({
              db: open.db,
              secrets,
              now: base.now,
              publicUrl,
              trustProxy: values["trust-proxy"],
              onError: logError,
            });
      const signal = waitForSignal();
      const cookies = { secureCookies: values["secure-cookies"], trustProxy: values["trust-proxy"] };
      const server = await startServer(
        createApp({
          ...base,
          ...cookies,
          recipients,
          imports,
          sync,
          oidc,
          // Ten sign-in attempts a minute per client and per address, counted by every server together.
          signInLimiter: shared && new RateLimiter(10, 60_000, base.now, shared.rateLimitStore),
          // A SCIM token's requests a minute, counted by every server together.
          scimLimiter:
            shared && new RateLimiter(SCIM_REQUESTS_PER_MINUTE, 60_000, base.now, shared.rateLimitStore),
        }),
        host,
        port,
      );
      io.stdout(`mailroster console: ${server.url}\n`);
      io.stdout(`mailroster: API on ${server.url}/api/v1, documented at ${server.url}/api/docs\n`);
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
      const mailAuth = await startMailAuth(
        values["mail-auth-socket"],
        Number.parseInt(socketMode, 8),
        base,
        logError,
      );
      if (mailAuth) io.stdout(`mailroster: mail access checks on ${mailAuth.path}\n`);
      const context = { ...base, actor: { kind: "system" as const, name: "serve" } };
      const scheduler =
        secrets === undefined
          ? undefined
          : startSyncScheduler({
              intervalMs,
              run: () => sync.runAllAccounts(context),
              onError: logError,
              claim: shared?.syncSchedule,
            });
      io.stdout(
        optionalLines({
          secretKey: secrets !== undefined,
          smtp: listener !== undefined,
          mailAuth: mailAuth !== undefined,
        }),
      );
      io.stdout("Press Ctrl+C to stop.\n");
      const received = await signal;
      io.stdout(`mailroster: ${received}: stopping\n`);
      await scheduler?.stop();
      await listener?.close();
      await mailAuth?.close();
      await server.close();
      // A save in progress finishes (or fails) and is recorded before the database closes.
      await imports.close();
      await sync.close();
      await shared?.close();
      return EXIT_OK;
    } finally {
      await open.close();
    }
  },
);
