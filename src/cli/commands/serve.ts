import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { isCommonPassword } from "../../adapters/common-passwords.js";
import { createArgon2Hasher } from "../../adapters/password-hasher.js";
import { DEFAULT_PASSWORD_POLICY, checkPassword } from "../../directory/password-policy.js";
import { createApp } from "../../http/app.js";
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

export const serveCommand: CliCommand = {
  path: ["serve"],
  usage: "serve [--db URL] [--port N] [--host HOST] [--admin EMAIL]",
  summary:
    "Start the console and API (http://127.0.0.1:8080); on an empty database, first create an account and a Super Administrator.",
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        db: { type: "string" },
        port: { type: "string" },
        host: { type: "string" },
        admin: { type: "string" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals.join(" ")}"`);
    const port = parsePort(values.port);
    const host = values.host ?? "127.0.0.1";
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
      const server = await startServer(createApp(base), host, port);
      io.stdout(`mailroster console: ${server.url}\n`);
      if (firstSignIn) {
        io.stdout(
          `First sign-in (shown once; you will choose a new password):\n` +
            `  Email     ${firstSignIn.email}\n  Password  ${firstSignIn.password}\n`,
        );
      }
      io.stdout("Press Ctrl+C to stop.\n");
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await server.close();
      return EXIT_OK;
    } finally {
      await open.close();
    }
  },
};
