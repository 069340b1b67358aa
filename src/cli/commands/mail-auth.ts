import { isCommonPassword } from "../../adapters/common-passwords.js";
import { createArgon2Hasher } from "../../adapters/password-hasher.js";
import { checkMailSignIn } from "../../services/user-sign-in-mail.js";
import { openDatabase } from "../../store/open-database.js";
import { defineCommand, type CliIo } from "../command.js";
import { chooseDatabaseUrl } from "../directory-session.js";
import { DB_OPTION } from "../shared-options.js";
import {
  askMailAuthSocket,
  CHECKPASSWORD_TEMPORARY,
  CHECKPASSWORD_UNKNOWN,
  finishCheckpassword,
  MAIL_AUTH_SOCKET_ENV,
  readCheckpasswordRequest,
  type CheckpasswordRequest,
  type MailAuthAnswer,
} from "../mail-auth-client.js";

/**
 * One check in this process: opens the database (no migrations, no server start-up), one look-up, one argon2id
 * verify. A database that is down or unreadable is a temporary failure, never a refusal counted against the user.
 */
export async function checkInProcess(
  databaseUrl: string,
  request: CheckpasswordRequest,
  service: string,
): Promise<MailAuthAnswer> {
  let open;
  try {
    open = await openDatabase(databaseUrl);
    return await checkMailSignIn(
      {
        db: open.db,
        hasher: createArgon2Hasher(),
        isCommonPassword,
        now: () => new Date(),
        actor: { kind: "system", name: "mail-auth" },
      },
      { email: request.user, password: request.password, service },
    );
  } catch (error) {
    process.stderr.write(`mailroster mail-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    return { temporary: true };
  } finally {
    await open?.close();
  }
}

export const mailAuthCommand = defineCommand(
  {
    path: ["mail-auth"],
    summary:
      "Dovecot checkpassword: user and password on fd 3, the service in SERVICE; accepts pop3 with pop, smtp/submission with submit.",
    positionals: [
      {
        name: "REPLY",
        description: "The program to run on success (Dovecot appends checkpassword-reply itself).",
      },
    ],
    options: {
      ...DB_OPTION,
      socket: {
        type: "string",
        value: "PATH",
        description: `Ask the serve listening on this socket (serve --mail-auth-socket; else ${MAIL_AUTH_SOCKET_ENV}): a warm check. When nothing listens there, a database named by --db or DATABASE_URL is checked here, else the login fails as temporary.`,
      },
    },
  },
  async ({ positionals, options }, io) => {
    // A lookup without a password (a checkpassword userdb, a credentials lookup) is never answered: the
    // directory only vouches for a password it verified. Configure a static or prefetch userdb instead.
    if (process.env.AUTHORIZED !== undefined) return CHECKPASSWORD_UNKNOWN;
    const request = readCheckpasswordRequest();
    if (!request) {
      io.stderr("mailroster mail-auth: no user\\0password\\0 request on file descriptor 3\n");
      return CHECKPASSWORD_TEMPORARY;
    }
    const service = process.env.SERVICE ?? "";
    const socket = options.socket ?? (process.env[MAIL_AUTH_SOCKET_ENV] || undefined);
    if (socket !== undefined) {
      const answer = await askMailAuthSocket(socket, { ...request, service });
      if (answer !== "unreachable") return finishCheckpassword(answer, positionals.REPLY);
      // Only a database named here stands in for serve: the default file is not the one serve keeps.
      const named = options.db ?? process.env.DATABASE_URL;
      if (named === undefined) {
        io.stderr(`mailroster mail-auth: nothing answers on ${socket} (is serve running?)\n`);
        return CHECKPASSWORD_TEMPORARY;
      }
    }
    return finishCheckpassword(
      await checkInProcess(chooseDatabaseUrl(options.db), request, service),
      positionals.REPLY,
    );
  },
);

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The full command, loaded by mail-auth-entry.ts when the fast path does not apply (--help, no socket, a lookup).
 * Any unexpected error is a temporary failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await mailAuthCommand.run(argv.slice(1), processIo);
  } catch (error) {
    processIo.stderr(`mailroster mail-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    return CHECKPASSWORD_TEMPORARY;
  }
}
