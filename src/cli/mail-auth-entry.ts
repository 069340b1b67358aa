import {
  askMailAuthSocket,
  CHECKPASSWORD_TEMPORARY,
  finishCheckpassword,
  MAIL_AUTH_SOCKET_ENV,
  readCheckpasswordRequest,
} from "./mail-auth-client.js";

interface FastArgs {
  readonly socket: string;
  readonly db: string | undefined;
  readonly reply: string;
}

/**
 * The arguments of the fast path, or undefined for anything else (--help, a mistake, no socket), which the full
 * command (commands/mail-auth.ts, where the options are declared) parses and answers. Only the shapes Dovecot's
 * configuration uses are read here, so a login never loads the command framework.
 */
function fastArgs(args: readonly string[]): FastArgs | undefined {
  let socket = process.env[MAIL_AUTH_SOCKET_ENV] || undefined;
  let db: string | undefined;
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? "";
    const [flag, inline] = arg.startsWith("--") ? [arg.split("=", 1)[0], arg.includes("=")] : [arg, false];
    if (flag === "--socket" || flag === "--db") {
      const value = inline ? arg.slice(arg.indexOf("=") + 1) : args[(i += 1)];
      if (value === undefined || value === "") return undefined;
      if (flag === "--socket") socket = value;
      else db = value;
    } else if (arg.startsWith("-")) {
      return undefined;
    } else {
      positionals.push(arg);
    }
  }
  const [reply] = positionals;
  if (socket === undefined || reply === undefined || positionals.length !== 1) return undefined;
  return { socket, db, reply };
}

/**
 * The entry bin/mailroster.js takes for `mail-auth`. With a socket, the check is serve's (warm: its database
 * connection, its argon2 threads) and this process only relays it; when nothing listens there, a named database
 * (--db or DATABASE_URL) is checked in this process, else the login is a temporary failure. Without a socket,
 * the full command checks in this process. Any unexpected error is a temporary failure.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const fast = fastArgs(argv.slice(1));
  try {
    if (fast === undefined || process.env.AUTHORIZED !== undefined) {
      return await (await import("./commands/mail-auth.js")).main(argv);
    }
    const request = readCheckpasswordRequest();
    if (!request) {
      process.stderr.write("mailroster mail-auth: no user\\0password\\0 request on file descriptor 3\n");
      return CHECKPASSWORD_TEMPORARY;
    }
    const service = process.env.SERVICE ?? "";
    const answer = await askMailAuthSocket(fast.socket, { ...request, service });
    if (answer !== "unreachable") return await finishCheckpassword(answer, fast.reply);
    const db = fast.db ?? process.env.DATABASE_URL;
    if (db === undefined) {
      process.stderr.write(`mailroster mail-auth: nothing answers on ${fast.socket} (is serve running?)\n`);
      return CHECKPASSWORD_TEMPORARY;
    }
    const { checkInProcess } = await import("./commands/mail-auth.js");
    return await finishCheckpassword(await checkInProcess(db, request, service), fast.reply);
  } catch (error) {
    process.stderr.write(`mailroster mail-auth: ${error instanceof Error ? error.message : String(error)}\n`);
    return CHECKPASSWORD_TEMPORARY;
  }
}
