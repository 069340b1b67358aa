import { createConnection, type Socket } from "node:net";

/** One SMTP reply: its code and the RFC 3463 enhanced code that starts its text, when there is one. */
export interface SmtpReply {
  readonly code: number;
  readonly enhanced: string | undefined;
}

/**
 * A raw SMTP client on a loopback socket: one command line at a time, one reply each. Raw, so that tests and
 * the benchmark see exactly what the listener answers, with no client library in between.
 */
export interface RawSmtpClient {
  readonly greeting: SmtpReply;
  send(line: string): Promise<SmtpReply>;
  /** Resolves once the server has closed the connection. */
  readonly closed: Promise<void>;
  destroy(): void;
}

/** Connects to the listener on 127.0.0.1:`port` from `localAddress` and waits for its greeting. */
export async function connectSmtp(port: number, localAddress = "127.0.0.1"): Promise<RawSmtpClient> {
  const socket: Socket = createConnection({ host: "127.0.0.1", port, localAddress });
  const closed = new Promise<void>((resolve) => {
    socket.once("close", () => {
      resolve();
    });
  });
  socket.on("error", () => undefined);
  let buffer = "";
  const ready: SmtpReply[] = [];
  const waiting: ((reply: SmtpReply) => void)[] = [];
  socket.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("latin1");
    let end: number;
    while ((end = buffer.indexOf("\r\n")) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (line[3] === "-") continue;
      const reply = {
        code: Number(line.slice(0, 3)),
        enhanced: /^\d{3} ([245]\.\d{1,3}\.\d{1,3}) /.exec(line)?.[1],
      };
      const next = waiting.shift();
      if (next) next(reply);
      else ready.push(reply);
    }
  });
  const nextReply = (): Promise<SmtpReply> => {
    const reply = ready.shift();
    return reply === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(reply);
  };
  const greeting = await nextReply();
  return {
    greeting,
    send: (line) => {
      socket.write(`${line}\r\n`);
      return nextReply();
    },
    closed,
    destroy: () => socket.destroy(),
  };
}
