import type { Context } from "hono";
import type { AppEnv } from "./http-env.js";

/**
 * The client's IP address: the Node socket's peer (@hono/node-server puts the request in env.incoming), or
 * behind a proxy trusted with `serve --trust-proxy` the address that proxy put last in X-Forwarded-For (the
 * one it saw; what comes before it the client could have written). Without --trust-proxy the header is
 * ignored: anyone can send it. In-process tests have no socket: "local".
 */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get("deps").trustProxy === true) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (forwarded !== undefined && forwarded !== "") return forwarded;
  }
  return socketAddress(c);
}

function socketAddress(c: Context<AppEnv>): string {
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
