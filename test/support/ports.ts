import type { ChildProcess } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** A loopback port that is free at the moment of asking (the system picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Resolves once a server the test started (`child`, called `name` in errors) accepts connections on the
 * loopback `port`; fails when it exits first, or after `deadlineMs`.
 */
export function waitForListening(
  port: number,
  child: ChildProcess,
  name: string,
  deadlineMs: number,
): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) {
        reject(new Error(`${name} exited with ${child.exitCode} before listening`));
        return;
      }
      const socket = createConnection({ host: "127.0.0.1", port });
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error(`${name} did not start listening`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}
