import type { Context } from "hono";
import type { AppEnv } from "./http-env.js";

/**
 * The peer's IP address from the Node socket (@hono/node-server puts the request in env.incoming).
 * X-Forwarded-For is not trusted: anyone can send it. In-process tests have no socket: "local".
 */
export function clientAddress(c: Context<AppEnv>): string {
  const env: unknown = c.env;
  if (typeof env === "object" && env !== null && "incoming" in env) {
    const incoming: unknown = env.incoming;
    if (typeof incoming === "object" && incoming !== null && "socket" in incoming) {
      const socket = incoming.socket as { remoteAddress?: unknown };
      if (typeof socket.remoteAddress === "string") return socket.remoteAddress;
    }
  }
  return "local";
}
