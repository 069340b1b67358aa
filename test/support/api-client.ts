import type { Hono } from "hono";
import type { AppEnv } from "../../src/http/http-env.js";

/** A tiny cookie-keeping client over app.request(): what a browser would do, in process. */
export class ApiClient {
  private cookie: string | undefined;
  csrf: string | undefined;
  bearer: string | undefined;

  constructor(private readonly app: Hono<AppEnv>) {}

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
    const all: Record<string, string> = { ...headers };
    if (body !== undefined) all["content-type"] = "application/json";
    if (this.cookie !== undefined) all.cookie = this.cookie;
    if (this.csrf !== undefined && method !== "GET") all["x-csrf-token"] = this.csrf;
    if (this.bearer !== undefined) all.authorization = `Bearer ${this.bearer}`;
    const response = await this.app.request(`/api/v1${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie !== null) {
      const [pair = ""] = setCookie.split(";");
      this.cookie = pair.endsWith("=") ? undefined : pair;
    }
    const json = (await response.json()) as Record<string, unknown>;
    if (typeof json.csrfToken === "string") this.csrf = json.csrfToken;
    return { status: response.status, json, headers: response.headers };
  }
}

/** The error code of a refused call, for assertions. */
export function errorCode(json: Record<string, unknown>): unknown {
  return (json.error as { code?: unknown } | undefined)?.code;
}
