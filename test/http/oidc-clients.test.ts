import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/adapters/common-passwords.js";
import { createArgon2Hasher } from "../../src/adapters/password-hasher.js";
import { createSecretBox } from "../../src/adapters/secret-box.js";
import { createApp } from "../../src/http/app.js";
import { OidcHost } from "../../src/http/oidc/oidc-host.js";
import { loadOidcClientMetadata } from "../../src/services/oidc/oidc-clients.js";
import { createUser } from "../../src/services/users/create-user.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createTestApp, errorCode, signInClient } from "../support/api-client.js";
import { initExampleArgv, useCliDatabase } from "../support/cli.js";
import { DIALECTS, useTestDatabase, type TestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, HELEN, initExample, makeContext } from "../support/service-context.js";

const REDIRECT = "https://wiki.example.com/oidc/callback";

async function setUp(open: TestDatabase) {
  const system = makeContext(open);
  await initExample(system);
  const secrets = createSecretBox(randomBytes(32));
  const oidc = await OidcHost.start({ db: open.db, secrets, now: () => new Date() });
  const app = createTestApp(open.db, { oidc });
  return { app, system, secrets, admin: await signInClient(app, "admin@example.com", ADMIN_PASSWORD) };
}

async function auditActions(open: TestDatabase): Promise<string[]> {
  const rows = await open.db
    .selectFrom("audit_log")
    .select("action")
    .where("action", "like", "oidc%")
    .execute();
  return rows.map((r) => r.action).sort();
}

describe.each(DIALECTS)("OpenID Connect clients over the API on %s", (dialect) => {
  const getDb = useTestDatabase(dialect);

  it("registers a client (the secret shown once, stored sealed), lists it without secret, removes it", async () => {
    const { admin, secrets } = await setUp(getDb());
    const added = await admin.call("POST", "/oidc-clients", { name: "Wiki", redirectUris: [REDIRECT] });
    expect(added.status).toBe(201);
    const { clientId, clientSecret } = added.json as { clientId: string; clientSecret: string };
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(added.json.client).toMatchObject({
      name: "Wiki",
      account: "CxAy",
      redirectUris: [REDIRECT],
      public: false,
    });

    const stored = await getDb().db.selectFrom("oidc_clients").selectAll().executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(clientSecret);
    // What the provider reads: the secret unsealed, code flow with refresh, basic (post too) authentication.
    expect(await loadOidcClientMetadata(getDb().db, secrets, clientId)).toMatchObject({
      client_id: clientId,
      client_secret: clientSecret,
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code", "refresh_token"],
    });

    const list = await admin.call("GET", "/oidc-clients");
    expect(list.json).toEqual({ items: [added.json.client], next: null });
    expect(JSON.stringify(list.json)).not.toContain(clientSecret);

    const removed = await admin.call("DELETE", `/oidc-clients/${clientId}`);
    expect(removed).toMatchObject({ status: 200, json: { clientId, name: "Wiki" } });
    expect(await loadOidcClientMetadata(getDb().db, secrets, clientId)).toBeUndefined();
    const again = await admin.call("DELETE", `/oidc-clients/${clientId}`);
    expect([again.status, errorCode(again.json)]).toEqual([404, "oidc_client_not_found"]);
    expect(await auditActions(getDb())).toEqual(["oidc_client.add", "oidc_client.remove"]);
  });

  it("registers a public client without a secret, and refuses bad redirect URIs and names by code", async () => {
    const { admin } = await setUp(getDb());
    const spa = await admin.call("POST", "/oidc-clients", {
      name: "Single-page app",
      redirectUris: ["http://localhost:5173/callback"],
      public: true,
    });
    expect(spa.json).toMatchObject({ clientSecret: null, client: { public: true } });
    for (const uri of [
      "http://wiki.example.com/cb",
      "https://wiki.example.com/cb#frag",
      "/relative",
      "ftp://x.example/",
    ]) {
      const refused = await admin.call("POST", "/oidc-clients", { name: "Bad", redirectUris: [uri] });
      expect([uri, refused.status, errorCode(refused.json)]).toEqual([uri, 400, "oidc_redirect_uri_invalid"]);
    }
    const blank = await admin.call("POST", "/oidc-clients", { name: "   ", redirectUris: [REDIRECT] });
    expect(errorCode(blank.json)).toBe("oidc_client_name_invalid");
  });

  it("needs manage_applications: a Basic Administrator is refused, and sees no client to remove", async () => {
    const { app, admin, system } = await setUp(getDb());
    const added = await admin.call("POST", "/oidc-clients", { name: "Wiki", redirectUris: [REDIRECT] });
    await createUser(system, { ...HELEN });
    await assignRole(system, { email: HELEN.email, role: "Basic" });
    const helen = await signInClient(app, HELEN.email, HELEN.password);
    const list = await helen.call("GET", "/oidc-clients");
    expect([list.status, errorCode(list.json)]).toEqual([403, "permission_denied"]);
    const add = await helen.call("POST", "/oidc-clients", { name: "Mine", redirectUris: [REDIRECT] });
    expect(errorCode(add.json)).toBe("permission_denied");
    const remove = await helen.call("DELETE", `/oidc-clients/${String(added.json.clientId)}`);
    expect([remove.status, errorCode(remove.json)]).toEqual([404, "oidc_client_not_found"]);
  });

  it("answers oidc_unavailable when the server has no secret key", async () => {
    const open = getDb();
    await initExample(makeContext(open));
    const app = createApp({
      db: open.db,
      hasher: createArgon2Hasher(),
      isCommonPassword,
      now: () => new Date(),
    });
    const admin = await signInClient(app, "admin@example.com", ADMIN_PASSWORD);
    const added = await admin.call("POST", "/oidc-clients", { name: "Wiki", redirectUris: [REDIRECT] });
    expect([added.status, errorCode(added.json)]).toEqual([503, "oidc_unavailable"]);
    const discovery = await app.request("/oidc/.well-known/openid-configuration");
    expect(discovery.status).toBe(503);
  });
});

describe.each(DIALECTS)("oidc-clients and oidc-keys on the command line on %s", (dialect) => {
  const { cli } = useCliDatabase(dialect, { secretKey: true });

  it("adds a client with several redirect URIs, lists it as JSON, removes it; rotates the signing key", async () => {
    expect((await cli(...initExampleArgv())).code).toBe(0);
    const add = await cli(
      ...["oidc-clients", "add", "Wiki", "--redirect-uri", REDIRECT],
      ...["--redirect-uri", "https://staging.wiki.example.com/cb", "--account", "CxAy", "--json"],
    );
    expect(add.code).toBe(0);
    const created = JSON.parse(add.stdout) as { clientId: string; clientSecret: string };
    expect(Object.keys(created)).toEqual(["clientId", "clientSecret"]);

    const list = await cli("oidc-clients", "list", "--json");
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({
        clientId: created.clientId,
        name: "Wiki",
        account: "CxAy",
        redirectUris: [REDIRECT, "https://staging.wiki.example.com/cb"],
      }),
    ]);
    expect(list.stdout).not.toContain(created.clientSecret);

    const bad = await cli("oidc-clients", "add", "Bad", "--redirect-uri", "http://wiki.example.com/cb");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("oidc_redirect_uri_invalid");

    expect((await cli("oidc-clients", "remove", created.clientId)).code).toBe(0);
    expect(JSON.parse((await cli("oidc-clients", "list", "--json")).stdout)).toEqual([]);
    const missing = await cli("oidc-clients", "remove", created.clientId);
    expect([missing.code, missing.stderr.includes("oidc_client_not_found")]).toEqual([1, true]);

    const first = JSON.parse((await cli("oidc-keys", "rotate", "--json")).stdout) as {
      kid: string;
      published: number;
    };
    const second = JSON.parse((await cli("oidc-keys", "rotate", "--json")).stdout) as {
      kid: string;
      published: number;
    };
    expect(second.kid).not.toBe(first.kid);
    // The keys retired within the hour stay published: tokens they signed are still being checked.
    expect(second.published).toBe(2);
  });
});
