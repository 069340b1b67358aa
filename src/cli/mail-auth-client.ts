import { spawn } from "node:child_process";
import { closeSync, readSync } from "node:fs";
import { connect } from "node:net";

// The checkpassword side of `mailroster mail-auth`, on Node.js's own modules only: the mail server starts one
// process per login, so the path that asks a running `serve` over its socket loads nothing else (a login then
// waits for Node.js to start, not for the directory's modules to load).

// Dovecot's checkpassword exit codes (db-checkpassword.c): 1 the login failed; 3 the user is unknown (the
// answer to a lookup without a password); 111 a temporary failure (Dovecot answers "try again later" and
// counts nothing against the user). Success is the reply program's own exit code.
export const CHECKPASSWORD_REFUSED = 1;
export const CHECKPASSWORD_UNKNOWN = 3;
export const CHECKPASSWORD_TEMPORARY = 111;
/** The socket serve answers mail-auth checks on (serve --mail-auth-socket), when no --socket is given. */
export const MAIL_AUTH_SOCKET_ENV = "MAILROSTER_MAIL_AUTH_SOCKET";
/** Dovecot sends at most 512 bytes: user \0 password \0 timestamp \0. */
const MAX_REQUEST_BYTES = 512;
/** How long the mail server may take to write the request. */
const READ_TIMEOUT_MS = 5_000;
/** serve's answer is one short line; more is not serve. */
const MAX_ANSWER_BYTES = 4096;

export interface CheckpasswordRequest {
  readonly user: string;
  readonly password: string;
}

/** What a check answers: the primary address to file mail under, a refusal, or "try again later". */
export type MailAuthAnswer =
  { readonly ok: true; readonly email: string } | { readonly ok: false } | { readonly temporary: true };

/**
 * The request on file descriptor 3, or undefined when it is missing, too long or malformed. Read synchronously:
 * at most 512 bytes from a pipe the mail server has already filled, without loading the stream machinery.
 */
export function readCheckpasswordRequest(): CheckpasswordRequest | undefined {
  const buffer = Buffer.alloc(MAX_REQUEST_BYTES + 1);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + READ_TIMEOUT_MS;
  let size = 0;
  try {
    for (;;) {
      let read: number;
      try {
        read = readSync(3, buffer, size, buffer.length - size, null);
      } catch (error) {
        // A non-blocking pipe the mail server has not written yet: wait a millisecond and read again.
        if ((error as NodeJS.ErrnoException).code !== "EAGAIN" || Date.now() > deadline) throw error;
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (read === 0) break;
      size += read;
      if (size > MAX_REQUEST_BYTES) return undefined;
    }
    closeSync(3);
  } catch {
    return undefined;
  }
  const fields = buffer.subarray(0, size).toString("utf8").split("\0");
  const [user, password] = fields;
  if (fields.length < 3 || user === undefined || password === undefined || user.length === 0)
    return undefined;
  return { user, password };
}

/** Reads serve's one-line JSON answer; anything else is no answer. */
function parseAnswer(line: string): MailAuthAnswer | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (value.ok === true && typeof value.email === "string") return { ok: true, email: value.email };
    if (value.ok === false) return { ok: false };
    if (value.temporary === true) return { temporary: true };
  } catch {
    // Not JSON: not serve.
  }
  return undefined;
}

/**
 * Asks the `serve` listening on `path` (serve --mail-auth-socket): one JSON line each way. "unreachable" when
 * nothing listens there (no socket file, or a stale one), so the caller may check by itself; a server that
 * answers late or garbled is a temporary failure, never a refusal.
 */
export function askMailAuthSocket(
  path: string,
  request: CheckpasswordRequest & { readonly service: string },
  timeoutMs = 15_000,
): Promise<MailAuthAnswer | "unreachable"> {
  return new Promise((resolve) => {
    let answered = false;
    let connected = false;
    let received = "";
    const settle = (answer: MailAuthAnswer | "unreachable"): void => {
      if (answered) return;
      answered = true;
      socket.destroy();
      resolve(answer);
    };
    const socket = connect(path, () => {
      connected = true;
      socket.end(`${JSON.stringify(request)}\n`);
    });
    socket.setTimeout(timeoutMs, () => {
      settle({ temporary: true });
    });
    socket.setEncoding("utf8");
    socket.on("data", (text: string) => {
      received += text;
      const end = received.indexOf("\n");
      if (end >= 0) settle(parseAnswer(received.slice(0, end)) ?? { temporary: true });
      else if (received.length > MAX_ANSWER_BYTES) settle({ temporary: true });
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      const nobody = !connected && (error.code === "ENOENT" || error.code === "ECONNREFUSED");
      settle(nobody ? "unreachable" : { temporary: true });
    });
    socket.on("close", () => {
      settle({ temporary: true });
    });
  });
}

/**
 * Runs the reply program the checkpassword caller named (Dovecot's checkpassword-reply), with USER set to the
 * primary address so mail is filed under it whatever address signed in; its exit code is ours. HOME is
 * dropped: the reply program would hand it over as the user's home, which is the mail server's to decide.
 */
export function runCheckpasswordReply(program: string, user: string): Promise<number> {
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

/** The exit code for an answer: the reply program's on success. */
export async function finishCheckpassword(answer: MailAuthAnswer, reply: string): Promise<number> {
  if ("temporary" in answer) return CHECKPASSWORD_TEMPORARY;
  if (!answer.ok) return CHECKPASSWORD_REFUSED;
  return runCheckpasswordReply(reply, answer.email);
}
