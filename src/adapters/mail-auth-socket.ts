import { chmod, lstat, unlink } from "node:fs/promises";
import { connect, createServer, type Socket } from "node:net";

// serve's side of `mailroster mail-auth --socket PATH`: a Unix socket on which a warm server answers the mail
// access checks Dovecot's checkpassword processes relay, one JSON line each way:
//   {"user": "...", "password": "...", "service": "pop3"}  ->  {"ok": true, "email": "..."} | {"ok": false}
// A check that cannot be made (the database is down) answers {"temporary": true}: the login is retried, and
// nothing is counted against the user.

/** A request is one line of JSON with a user and password of at most 512 bytes: more is not mail-auth. */
const MAX_REQUEST_BYTES = 2048;
/** Checks in flight at once; beyond, a connection waits in the kernel's backlog (argon2 bounds the pace). */
const MAX_CONNECTIONS = 256;
const IDLE_TIMEOUT_MS = 10_000;

/** serve's answer (cli/mail-auth-client.ts reads it). */
type MailAuthAnswer = { ok: true; email: string } | { ok: false } | { temporary: true };

export interface MailAuthCheck {
  readonly user: string;
  readonly password: string;
  readonly service: string;
}

export interface MailAuthSocketOptions {
  readonly path: string;
  /** Permission bits of the socket file: who may connect (Dovecot's auth worker must). */
  readonly mode: number;
  readonly check: (request: MailAuthCheck) => Promise<{ ok: true; email: string } | { ok: false }>;
  readonly onError: (error: unknown) => void;
}

export interface MailAuthSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** The request in a line, or undefined when it is not one. */
function parseRequest(line: string): MailAuthCheck | undefined {
  try {
    const value = JSON.parse(line) as Record<string, unknown>;
    const { user, password, service } = value;
    if (
      typeof user === "string" &&
      typeof password === "string" &&
      typeof service === "string" &&
      user !== ""
    ) {
      return { user, password, service };
    }
  } catch {
    // Not JSON.
  }
  return undefined;
}

/** Whether a server answers on `path` now (a socket file left by a server that died does not). */
function somebodyListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on("error", () => {
      resolve(false);
    });
  });
}

/**
 * Listens on `path`. A socket file left by a server that is gone is replaced; one another server answers on,
 * or any other file, is refused (the error names the path).
 */
export async function startMailAuthSocket(options: MailAuthSocketOptions): Promise<MailAuthSocket> {
  const existing = await lstat(options.path).catch(() => undefined);
  if (existing !== undefined) {
    if (!existing.isSocket()) throw new Error(`${options.path} exists and is not a socket`);
    if (await somebodyListens(options.path)) throw new Error(`another server answers on ${options.path}`);
    await unlink(options.path);
  }
  const sockets = new Set<Socket>();
  const answer = async (socket: Socket, line: string): Promise<void> => {
    const request = parseRequest(line);
    let reply: MailAuthAnswer;
    if (request === undefined) {
      reply = { ok: false };
    } else {
      try {
        const result = await options.check(request);
        reply = result.ok ? { ok: true, email: result.email } : { ok: false };
      } catch (error) {
        options.onError(error);
        reply = { temporary: true };
      }
    }
    socket.end(`${JSON.stringify(reply)}\n`);
  };
  // Half-open: the client ends its side once it has asked, and still reads the answer.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.setEncoding("utf8");
    let received = "";
    let asked = false;
    socket.on("data", (text: string) => {
      if (asked) return;
      received += text;
      const end = received.indexOf("\n");
      if (end >= 0) {
        asked = true;
        void answer(socket, received.slice(0, end));
      } else if (received.length > MAX_REQUEST_BYTES) {
        socket.destroy();
      }
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.on("error", options.onError);
  await chmod(options.path, options.mode);
  return {
    path: options.path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // Closing a Unix socket server removes its file.
        server.close(() => {
          resolve();
        });
      }),
  };
}
