/**
 * `npm run bench:oidc`: OpenID Connect token issuance per second (issue 14), on the real HTTP server (Hono on
 * Node, oidc-provider at /oidc, SQLite file of the example directory):
 * - the authorization_code exchange at the token endpoint (client_secret_basic, PKCE S256): the code checked
 *   and consumed, the grant and the user's claims (groups) read, an ID token signed (RS256) and an access and a
 *   refresh token stored;
 * - the refresh_token grant (each refresh rotates the token and signs a new ID token).
 * Each one by one (latency: median and p99) and with --concurrency requests in flight (throughput). The codes
 * are obtained beforehand through the provider's session (one sign-in with the portal's form, then single
 * sign-on), so the figures hold the token endpoint alone.
 */
import { createHash, randomBytes } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createSecretBox } from "../src/adapters/secret-box.js";
import { createApp } from "../src/http/app.js";
import { OidcHost } from "../src/http/oidc/oidc-host.js";
import { RateLimiter } from "../src/http/rate-limit.js";
import { startServer } from "../src/http/server.js";
import { addOidcClient } from "../src/services/oidc/oidc-clients.js";
import { saveUsers } from "../src/services/users/save-users.js";
import { withExampleSqlite } from "../test/support/service-context.js";

const { values } = parseArgs({
  options: { codes: { type: "string", default: "400" }, concurrency: { type: "string", default: "8" } },
});
const CODES = Number(values.codes);
const CONCURRENCY = Number(values.concurrency);
const PASSWORD = "Tidal-Lantern-7";
const REDIRECT = "http://127.0.0.1:9/callback";

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** A browser in miniature: cookies by name, redirects not followed. */
class Browser {
  readonly #cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async go(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.#cookies.size > 0)
      headers.set("cookie", [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await fetch(new URL(url, this.base), { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const value = pair.slice(at + 1);
      if (value === "") this.#cookies.delete(pair.slice(0, at));
      else this.#cookies.set(pair.slice(0, at), value);
    }
    return response;
  }
}

const pkce = (): { verifier: string; challenge: string } => {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
};

/** Runs `task` `count` times with `inFlight` at once; returns the wall time and each call's latency. */
async function measure(count: number, inFlight: number, task: (i: number, worker: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_unused, worker) => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        await task(i, worker);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

function report(
  what: string,
  count: number,
  run: { seconds: number; latencies: number[] },
  unit = "tokens",
): void {
  console.log(
    `${what}: ${(count / run.seconds).toFixed(0)} ${unit}/s, median ${percentile(run.latencies, 50).toFixed(1)} ms, ` +
      `p99 ${percentile(run.latencies, 99).toFixed(1)} ms (n=${count})`,
  );
}

await withExampleSqlite(async (context, open) => {
  await saveUsers(context, {
    users: [
      {
        email: "mia@example.com",
        name: "Mia",
        password: PASSWORD,
        groups: ["Staff/Sales", "Projects/Bench"],
      },
    ],
  });
  const secrets = createSecretBox(randomBytes(32));
  const { clientId, clientSecret } = await addOidcClient(context, secrets, {
    name: "Bench",
    redirectUris: [REDIRECT],
  });
  const oidc = await OidcHost.start({ db: open.db, secrets, now: () => new Date() });
  const app = createApp({
    ...context,
    oidc,
    signInLimiter: new RateLimiter(1_000_000, 60_000, () => new Date()),
  });
  const server = await startServer(app, "127.0.0.1", 0);
  const basic = `Basic ${Buffer.from(`${clientId}:${clientSecret ?? ""}`).toString("base64")}`;
  try {
    const browser = new Browser(server.url);
    const authorize = async (): Promise<{ code: string; verifier: string }> => {
      const { verifier, challenge } = pkce();
      const query = new URLSearchParams({
        client_id: clientId,
        redirect_uri: REDIRECT,
        response_type: "code",
        scope: "openid email profile groups offline_access",
        code_challenge: challenge,
        code_challenge_method: "S256",
      });
      let response = await browser.go(`/oidc/auth?${query.toString()}`);
      let location = response.headers.get("location") ?? "";
      if (location.startsWith("/portal/oidc/")) {
        // The one sign-in: the portal's form, then back through the provider.
        const form = await (await browser.go(location)).text();
        const csrf = /name="csrf" value="([^"]+)"/.exec(form)?.[1] ?? "";
        response = await browser.go(`${location}/sign-in`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
          body: new URLSearchParams({ email: "mia@example.com", password: PASSWORD, csrf }).toString(),
        });
        response = await browser.go(response.headers.get("location") ?? "");
        location = response.headers.get("location") ?? "";
      }
      const code = new URL(location).searchParams.get("code");
      if (code === null) throw new Error(`no code: ${response.status} ${location}`);
      return { code, verifier };
    };
    const token = async (body: Record<string, string>) => {
      const response = await fetch(`${server.url}/oidc/token`, {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(body).toString(),
      });
      const json = (await response.json()) as { refresh_token?: string; id_token?: string; error?: string };
      if (!response.ok || json.id_token === undefined)
        throw new Error(`token: ${response.status} ${json.error}`);
      return json;
    };
    const exchange = (grant: { code: string; verifier: string }) =>
      token({
        grant_type: "authorization_code",
        code: grant.code,
        redirect_uri: REDIRECT,
        code_verifier: grant.verifier,
      });

    await exchange(await authorize()); // warm-up: the sign-in, the provider built, the first token
    const half = Math.floor(CODES / 2);
    const codes: { code: string; verifier: string }[] = [];
    const authRun = await measure(CODES, 1, async () => {
      codes.push(await authorize());
    });
    console.log(
      `mailroster bench:oidc on ${cpus().length} cores (load ${loadavg()[0]?.toFixed(2)}), SQLite, Node ${process.version}`,
    );
    report("authorization request (SSO, code issued)", CODES, authRun, "codes");
    const refreshTokens: string[] = [];
    const sequential = await measure(half, 1, async (i) => {
      const issued = await exchange(codes[i] ?? { code: "", verifier: "" });
      refreshTokens.push(issued.refresh_token ?? "");
    });
    report("authorization_code exchange, one at a time", half, sequential);
    const parallel = await measure(CODES - half, CONCURRENCY, async (i) => {
      await exchange(codes[half + i] ?? { code: "", verifier: "" });
    });
    report(`authorization_code exchange, ${CONCURRENCY} in flight`, CODES - half, parallel);

    // Refresh chains: each refresh rotates the token, so a chain goes one after the other.
    const chains = refreshTokens.slice(0, CONCURRENCY);
    let chain = refreshTokens[CONCURRENCY] ?? "";
    const refreshOne = await measure(half, 1, async () => {
      chain = (await token({ grant_type: "refresh_token", refresh_token: chain })).refresh_token ?? "";
    });
    report("refresh_token grant, one at a time", half, refreshOne);
    // One chain per worker: a refresh token is spent by its use, so no two requests share one.
    const refreshMany = await measure(half, CONCURRENCY, async (_i, slot) => {
      const issued = await token({ grant_type: "refresh_token", refresh_token: chains[slot] ?? "" });
      chains[slot] = issued.refresh_token ?? "";
    });
    report(`refresh_token grant, ${CONCURRENCY} chains in flight`, half, refreshMany);
  } finally {
    await server.close();
  }
});
