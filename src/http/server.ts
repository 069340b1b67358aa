import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Hono } from "hono";
import type { AppEnv } from "./http-env.js";

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0 picks a free one) and resolves once the socket is bound. */
export function startServer(app: Hono<AppEnv>, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType | undefined = undefined;
    const onError = (error: Error): void => {
      reject(error);
    };
    server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      server?.off("error", onError);
      const shown = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        close: () =>
          new Promise((done) => {
            server?.close(() => {
              done();
            });
          }),
      });
    });
    server.once("error", onError);
  });
}
