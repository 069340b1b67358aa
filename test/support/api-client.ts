import type { Hono } from "hono";
import { expect } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { createApp } from "../../src/http/app.js";
import type { AppDependencies, AppEnv } from "../../src/http/http-env.js";
import { RateLimiter } from "../../src/http/rate-limit.js";

/**
 * The app on a test database as the API tests build it: real argon2, the common-password list, and a sign-in
 * limit no test reaches (on `now`'s clock); `deps` adds or replaces any of them.
 */
export function createTestApp(db: AppDependencies["db"], deps: Partial<AppDependencies> = {}): Hono<AppEnv> {
  const now = deps.now ?? (() => new Date());
  return createApp({
    db,
    hasher: createArgon2Hasher(),
    isCommonPassword,
    now,
    signInLimiter: new RateLimiter(1000, 60_000, now),
    ...deps,
  });
}

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

  private authHeaders(method: string): Record<string, string> {
    const all: Record<string, string> = {};
    if (this.cookie !== undefined) all.cookie = this.cookie;
    if (this.csrf !== undefined && method !== "GET") all["x-csrf-token"] = this.csrf;
    if (this.bearer !== undefined) all.authorization = `Bearer ${this.bearer}`;
    return all;
  }

  /** A multipart/form-data POST, encoded by undici's FormData as a browser's form would be. */
  async upload(
    path: string,
    fields: Record<string, string>,
    files: { field?: string; name: string; bytes: Uint8Array; type?: string }[],
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    for (const file of files) {
      const blob = new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/vnd.ms-excel" });
      form.append(file.field ?? "file", blob, file.name);
    }
    const response = await this.app.request(`/api/v1${path}`, {
      method: "POST",
      headers: this.authHeaders("POST"),
      body: form,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  /** A GET answered with a file: its status, headers and bytes. */
  async download(path: string): Promise<{ status: number; headers: Headers; bytes: Uint8Array }> {
    const response = await this.app.request(`/api/v1${path}`, { headers: this.authHeaders("GET") });
    return {
      status: response.status,
      headers: response.headers,
      bytes: new Uint8Array(await response.arrayBuffer()),
    };
  }
}

/** The error code of a refused call, for assertions. */
export function errorCode(json: Record<string, unknown>): unknown {
  return (json.error as { code?: unknown } | undefined)?.code;
}

/** A new client signed in as `email`; the sign-in must succeed. */
export async function signInClient(app: Hono<AppEnv>, email: string, password: string): Promise<ApiClient> {
  const client = new ApiClient(app);
  const reply = await client.call("POST", "/auth/sign-in", { email, password });
  expect(reply.status).toBe(200);
  return client;
}
