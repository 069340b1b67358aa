import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { isCommonPassword } from "../../adapters/common-passwords.js";
import { createArgon2Hasher } from "../../adapters/password-hasher.js";
import { checkMailSignIn } from "../../services/user-sign-in-mail.js";
import { openDatabase } from "../../store/open-database.js";
import { defineCommand, type CliIo } from "../command.js";
import { chooseDatabaseUrl } from "../directory-session.js";
import { DB_OPTION } from "../shared-options.js";

// Dovecot's checkpassword exit codes (db-checkpassword.c): 1 the login failed; 3 the user is unknown (the
// answer to a lookup without a password); 111 a temporary failure (Dovecot answers "try again later" and
// counts nothing against the user). Success is the reply program's own exit code.
export const CHECKPASSWORD_REFUSED = 1;
export const CHECKPASSWORD_UNKNOWN = 3;
export const CHECKPASSWORD_TEMPORARY = 111;
/** Dovecot sends at most 512 bytes: user \0 password \0 timestamp \0. */
const MAX_REQUEST_BYTES = 512;

/** The request on file descriptor 3, or undefined when it is missing, too long or malformed. */
async function readRequest(): Promise<{ user: string; password: string } | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream("", { fd: 3, autoClose: true })) {
      const bytes = chunk as Buffer;
      size += bytes.length;
      if (size > MAX_REQUEST_BYTES) return undefined;
      chunks.push(bytes);
    }
  } catch {
    return undefined;
  }
  const fields = Buffer.concat(chunks).toString("utf8").split("\0");
  const [user, password] = fields;
  if (fields.length < 3 || user === undefined || password === undefined || user.length === 0)
    return undefined;
  return { user, password };
}

/**
 * Runs the reply program the checkpassword caller named (Dovecot's checkpassword-reply), with USER set to the
 * primary address so mail is filed under it whatever address signed in; its exit code is ours. HOME is
 * dropped: the reply program would hand it over as the user's home, which is the mail server's to decide.
 */
function runReply(program: string, user: string): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...process.env, USER: user };
  delete env.HOME;
  delete env.EXTRA;
  return new Promise((resolve) => {
    const child = spawn(program, [], { env, stdio: ["inherit", "inherit", "inherit", "ignore", 4] });
    child.once("error", () => {
      resolve(CHECKPASSWORD_TEMPORARY);
    });
    child.once("exit", (code) => {
      resolve(code ?? CHECKPASSWORD_TEMPORARY);
    });
  });
}

/** One check: opens the database (no migrations, no server start-up), one look-up, one argon2id verify. */
async function checkOnce(
  dbFlag: string | undefined,
  request: { user: string; password: string },
): Promise<{ ok: true; email: string } | { ok: false }> {
  const open = await openDatabase(chooseDatabaseUrl(dbFlag));
  try {
    return await checkMailSignIn(
      {
        db: open.db,
        hasher: createArgon2Hasher(),
        isCommonPassword,
        now: () => new Date(),
        actor: { kind: "system", name: "mail-auth" },
      },
      { email: request.user, password: request.password, service: process.env.SERVICE ?? "" },
    );
  } finally {
    await open.close();
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
    options: { ...DB_OPTION },
  },
  async ({ positionals, options }, io) => {
    // A lookup without a password (a checkpassword userdb, a credentials lookup) is never answered: the
    // directory only vouches for a password it verified. Configure a static or prefetch userdb instead.
    if (process.env.AUTHORIZED !== undefined) return CHECKPASSWORD_UNKNOWN;
    const request = await readRequest();
    if (!request) {
      io.stderr("mailroster mail-auth: no user\\0password\\0 request on file descriptor 3\n");
      return CHECKPASSWORD_TEMPORARY;
    }
    let answer: { ok: true; email: string } | { ok: false };
    try {
      answer = await checkOnce(options.db, request);
    } catch (error) {
      // The database is down or unreadable: a temporary failure, never a refusal counted against the user.
      io.stderr(`mailroster mail-auth: ${error instanceof Error ? error.message : String(error)}\n`);
      return CHECKPASSWORD_TEMPORARY;
    }
    if (!answer.ok) return CHECKPASSWORD_REFUSED;
    return runReply(positionals.REPLY, answer.email);
  },
);

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The entry bin/mailroster.js takes for `mail-auth`: the mail server starts one process per login, so it
 * loads this command alone, not every command's modules. Any unexpected error is a temporary failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await mailAuthCommand.run(argv.slice(1), processIo);
  } catch (error) {
    processIo.stderr(`mailroster mail-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    return CHECKPASSWORD_TEMPORARY;
  }
}
