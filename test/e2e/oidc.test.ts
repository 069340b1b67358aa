import { spawnSync } from "node:child_process";
import { createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as client from "openid-client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OpenDatabase } from "../../src/store/open-database.js";
import { launchChromium, requireChromium, screenshots, servedDomain } from "../support/chromium.js";
import { openWithUsers } from "../support/e2e-seed.js";
import { startServe, type Served } from "../support/serve-process.js";

// The OpenID Connect provider end to end: the real `mailroster serve` (compiled dist/), a relying party
// written with openid-client (a certified client library), and the Debian chromium signing in on the
// portal's forms (the portal's own e2e test proves them without JavaScript). Screenshots for the issue in test-artifacts/e2e/oidc-*.png.
const haveChromium = requireChromium("the OpenID Connect end-to-end test (test/e2e/oidc.test.ts)");

const ROOT = join(import.meta.dirname, "../..");
const PASSWORD = "Tidal-Lantern-7";
const NEW_PASSWORD = "Copper-Kettle-93";
const SCOPE = "openid email profile groups offline_access";

interface IdClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

/** The relying party's redirect URI: a page that only shows it was reached, and remembers the URL. */
function startRelyingParty(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    response.end("<!doctype html><title>Relying party</title><h1>Back at the relying party</h1>");
    request.resume();
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/callback` });
    });
  });
}

/** The CLI against the test's database, as an operator runs it. */
function cli(dbUrl: string, args: readonly string[]): string {
  const run = spawnSync(process.execPath, ["bin/mailroster.js", ...args, "--db", dbUrl], {
    cwd: ROOT,
    encoding: "utf8",
    env: process.env,
  });
  if (run.status !== 0) throw new Error(`mailroster ${args.join(" ")} failed: ${run.stderr}`);
  return run.stdout;
}

/** Checks an RS256 JWT's signature against the provider's published JWKS, as any relying party does. */
async function verifiedByJwks(issuer: string, jwt: string): Promise<boolean> {
  const [header = "", payload = "", signature = ""] = jwt.split(".");
  const { kid } = JSON.parse(Buffer.from(header, "base64url").toString()) as { kid: string };
  const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as {
    keys: (JsonWebKey & { kid: string })[];
  };
  const jwk = keys.find((k) => k.kid === kid);
  if (!jwk) return false;
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"));
}

const kidOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString()) as { kid: string }).kid;

describe.skipIf(!haveChromium)("the OpenID Connect provider with a real relying party", () => {
  let dir: string;
  let dbUrl: string;
  let served: Served;
  let open: OpenDatabase;
  let browser: BrowserContext;
  let rp: { server: Server; url: string };
  let issuer: string;
  let basic: client.Configuration;
  let post: client.Configuration;
  let domain: string;
  const savedKey = process.env.MAILROSTER_SECRET_KEY;
  // Tokens carried from one test to the next (the refresh and rotation tests go on from the first sign-in).
  let ada: { idToken: string; refreshToken: string; sub: string } | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "mailroster-e2e-oidc-"));
    process.env.MAILROSTER_SECRET_KEY = randomBytes(32).toString("hex");
    dbUrl = `sqlite:${join(dir, "oidc.db")}`;
    served = await startServe(dbUrl);
    issuer = `${served.url}/oidc`;
    domain = servedDomain(served);
    open = await openWithUsers(dir, "oidc.db", [
      {
        email: `ada@${domain}`,
        name: "Ada Lovelace",
        password: PASSWORD,
        forceChangePassword: true,
        groups: ["Staff/Engineering", "Projects/Analytical Engine"],
      },
      { email: `bob@${domain}`, name: "Bob Babbage", password: PASSWORD, groups: ["Staff/Engineering"] },
      { email: `lou@${domain}`, name: "Lou Locked", password: PASSWORD, locked: true },
    ]);
    rp = await startRelyingParty();
    const registered = JSON.parse(
      cli(dbUrl, ["oidc-clients", "add", "Relying party", "--redirect-uri", rp.url, "--json"]),
    ) as { clientId: string; clientSecret: string };
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the test server is plain http on loopback
    const insecure = { execute: [client.allowInsecureRequests] };
    const discover = (auth: client.ClientAuth) =>
      client.discovery(new URL(issuer), registered.clientId, undefined, auth, insecure);
    basic = await discover(client.ClientSecretBasic(registered.clientSecret));
    post = await discover(client.ClientSecretPost(registered.clientSecret));
    browser = await launchChromium(dir);
  }, 90_000);

  afterAll(async () => {
    await browser.close();
    await served.stop();
    await open.close();
    rp.server.close();
    if (savedKey === undefined) delete process.env.MAILROSTER_SECRET_KEY;
    else process.env.MAILROSTER_SECRET_KEY = savedKey;
    rmSync(dir, { recursive: true, force: true });
  });

  const takeShot = screenshots("oidc-");

  /** A page with no provider session yet (the cookies of the flows before cleared). */
  async function freshPage(): Promise<Page> {
    await browser.clearCookies();
    for (const open of browser.pages()) await open.close();
    return browser.newPage();
  }

  /** Starts a code flow with PKCE and signs in on the portal's form; resolves on the sign-in page's answer. */
  async function startSignIn(
    page: Page,
    config: client.Configuration,
    email: string,
    beforeSubmit?: () => Promise<unknown>,
  ) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.url,
      scope: SCOPE,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    await page.goto(url.href);
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await beforeSubmit?.();
    await page.getByRole("button", { name: "Sign in" }).click();
    return { verifier, state };
  }

  async function redeem(
    page: Page,
    config: client.Configuration,
    checks: { verifier: string; state: string },
  ) {
    await page.waitForURL((u) => u.href.startsWith(rp.url));
    expect(await page.getByRole("heading").textContent()).toBe("Back at the relying party");
    return client.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: checks.verifier,
      expectedState: checks.state,
    });
  }

  it("signs a user in with the code flow and PKCE, changing the forced password first", async () => {
    const page = await freshPage();
    const shot = (name: string) => takeShot(page, name);
    const checks = await startSignIn(page, basic, `ada@${domain}`);
    await page.getByRole("heading", { name: "Change your password" }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/portal\/oidc\/[^/]+\/password$/);
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await shot("01-forced-change");
    await page.getByRole("button", { name: "Change password" }).click();
    const tokens = await redeem(page, basic, checks);
    await shot("02-back-at-the-relying-party");
    const claims = tokens.claims() as IdClaims | undefined;
    expect(claims).toMatchObject({
      email: `ada@${domain}`,
      email_verified: true,
      name: "Ada Lovelace",
      groups: ["Projects/Analytical Engine", "Staff/Engineering"],
    });
    expect(tokens.refresh_token).toBeTypeOf("string");
    ada = {
      idToken: tokens.id_token ?? "",
      refreshToken: tokens.refresh_token ?? "",
      sub: claims?.sub ?? "",
    };
    expect(await verifiedByJwks(issuer, ada.idToken)).toBe(true);
    await page.close();
  }, 120_000);

  it("refuses a locked user on the sign-in page, with the one answer every failure gets", async () => {
    const page = await freshPage();
    await startSignIn(page, basic, `lou@${domain}`);
    await page.getByRole("alert").waitFor();
    expect(await page.locator("[role=alert] li").getAttribute("data-code")).toBe("sign_in_failed");
    expect(new URL(page.url()).pathname).toMatch(/^\/portal\/oidc\/[^/]+\/sign-in$/);
    await takeShot(page, "03-locked-refused");
    // Audited like the console's sign-ins, naming the door and the client.
    const audit = await open.db
      .selectFrom("audit_log")
      .select(["action", "address", "after_json"])
      .where("action", "in", ["auth.sign_in", "auth.sign_in_failure"])
      .where("address", "in", [`ada@${domain}`, `lou@${domain}`])
      .execute();
    expect(
      audit.map((row) => [
        row.action,
        row.address,
        (JSON.parse(row.after_json ?? "{}") as { door?: string }).door,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["auth.sign_in", `ada@${domain}`, "oidc"],
        ["auth.sign_in_failure", `lou@${domain}`, "oidc"],
      ]),
    );
    await page.close();
  }, 60_000);

  it("authenticates the client with client_secret_post as well as client_secret_basic", async () => {
    const page = await freshPage();
    const checks = await startSignIn(page, post, `bob@${domain}`, () => takeShot(page, "00-sign-in"));
    const tokens = await redeem(page, post, checks);
    expect(tokens.claims()).toMatchObject({ email: `bob@${domain}`, groups: ["Staff/Engineering"] });
    await page.close();
  }, 60_000);

  it("refreshes tokens, and a user removed from a group loses the claim at the next token", async () => {
    if (!ada) throw new Error("the first sign-in did not run");
    const groupIds = open.db
      .selectFrom("profile_groups")
      .select("id")
      .where("path", "=", "Projects/Analytical Engine");
    await open.db
      .deleteFrom("group_members")
      .where("user_id", "=", ada.sub)
      .where("group_id", "in", groupIds)
      .execute();
    const refreshed = await client.refreshTokenGrant(basic, ada.refreshToken);
    expect((refreshed.claims() as IdClaims | undefined)?.groups).toEqual(["Staff/Engineering"]);
    const userInfo = await client.fetchUserInfo(basic, refreshed.access_token, ada.sub);
    expect(userInfo.groups).toEqual(["Staff/Engineering"]);
    // Refresh tokens rotate: the one just used is spent.
    expect(refreshed.refresh_token).not.toBe(ada.refreshToken);
    await expect(client.refreshTokenGrant(basic, ada.refreshToken)).rejects.toThrow();
    ada = { ...ada, refreshToken: refreshed.refresh_token ?? "" };
  }, 60_000);

  it("rotates the signing key on command: new tokens use the new key, old ones stay verifiable", async () => {
    if (!ada) throw new Error("the first sign-in did not run");
    // The refresh test's replay revoked the grant: sign in again for a fresh one.
    const page = await freshPage();
    const checks = await startSignIn(page, basic, `bob@${domain}`);
    const before = await redeem(page, basic, checks);
    await page.close();
    const oldToken = before.id_token ?? "";
    const rotated = JSON.parse(cli(dbUrl, ["oidc-keys", "rotate", "--json"])) as { kid: string };
    expect(rotated.kid).not.toBe(kidOf(oldToken));
    // The running server picks the new key up within a second.
    let after: Awaited<ReturnType<typeof client.refreshTokenGrant>> | undefined;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      after = await client.refreshTokenGrant(basic, after?.refresh_token ?? before.refresh_token ?? "");
      if (kidOf(after.id_token ?? "") === rotated.kid) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(kidOf(after?.id_token ?? "")).toBe(rotated.kid);
    const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
    expect(keys.map((k) => k.kid)).toEqual([rotated.kid, kidOf(oldToken)]);
    expect(await verifiedByJwks(issuer, oldToken)).toBe(true);
    expect(await verifiedByJwks(issuer, after?.id_token ?? "")).toBe(true);
  }, 60_000);
});
