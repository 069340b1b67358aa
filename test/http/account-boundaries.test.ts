import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { addDomain, createAccount } from "../../src/services/accounts-service.js";
import { createApiToken } from "../../src/services/api-tokens-service.js";
import { RecipientIndex } from "../../src/services/recipient-index.js";
import { checkRecipientAs } from "../../src/services/recipient-settings-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { getUser } from "../../src/services/users/find-users.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { ApiClient, errorCode, signInClient } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { ADMIN_PASSWORD, initExample, makeContext } from "../support/service-context.js";

const PASSWORD = "Tidal-Lantern-7";

/**
 * Two account trees: CxAy (example.com, example.org; admin@example.com) with eu1 nested under it
 * (eu.example.net), and Acme on its own (acme.test, mail.corp.test; boss@acme.test, carol@acme.test).
 */
describe.each(DIALECTS)("account boundaries over the API on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  async function setUp() {
    const system = makeContext(database());
    await initExample(system);
    await createAccount(system, { name: "EU", code: "eu1", parent: "CxAy", kind: "mail-processing" });
    await addDomain(system, { domain: "eu.example.net", account: "eu1" });
    await createAccount(system, { name: "Acme", code: "acme" });
    await addDomain(system, { domain: "acme.test", account: "acme" });
    await addDomain(system, { domain: "mail.corp.test", account: "acme" });
    await saveUsers(system, {
      users: [
        { email: "jane@example.com", name: "Jane" },
        { email: "helen@example.com", name: "Helen", password: PASSWORD, forceChangePassword: false },
        { email: "eve@eu.example.net", name: "Eve" },
        { email: "boss@acme.test", name: "Boss", password: PASSWORD, forceChangePassword: false },
        { email: "carol@acme.test", name: "Carol", aliases: ["c@acme.test"] },
      ],
    });
    await assignRole(system, { email: "boss@acme.test", role: "Super Administrator" });
    await assignRole(system, { email: "helen@example.com", role: "Helpdesk Administrator" });
    const index = new RecipientIndex(system.db);
    const app = createApp({ ...system, recipients: index });
    const signIn = (email: string, password: string) => signInClient(app, email, password);
    const admin = await signIn("admin@example.com", ADMIN_PASSWORD);
    return { system, index, app, admin, signIn };
  }

  it("answers recipient checks only for the caller's account subtree; other addresses as no internal domain", async () => {
    const { system, index, app, signIn } = await setUp();
    const { token } = await createApiToken(
      { ...system, actor: { kind: "user", email: "admin@example.com" } },
      { name: "gateway", account: "CxAy" },
    );
    const get = async (address: string) => {
      const response = await app.request(`/api/v1/recipients/${encodeURIComponent(address)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const outside = (address: string) => ({
      status: 200,
      body: { address, verdict: "reject", smtpCode: 550 },
    });
    // A domain internal to nobody: the reply every other account's address must get too.
    expect(await get("someone@elsewhere.net")).toEqual(outside("someone@elsewhere.net"));
    // Another tree's user, alias and missing user (known-recipients would defer it) all look the same.
    expect(await get("carol@acme.test")).toEqual(outside("carol@acme.test"));
    expect(await get("c@acme.test")).toEqual(outside("c@acme.test"));
    expect(await get("nobody@acme.test")).toEqual(outside("nobody@acme.test"));
    // The caller's own account and the one nested under it answer as the listener does.
    expect(await get("jane@example.com")).toEqual({
      status: 200,
      body: { address: "jane@example.com", verdict: "accept", smtpCode: 250 },
    });
    expect((await get("nobody@example.com")).body).toMatchObject({ verdict: "defer", smtpCode: 451 });
    expect((await get("eve@eu.example.net")).body).toMatchObject({ verdict: "accept", smtpCode: 250 });

    // The other tree's administrator sees their own, and not ours.
    const boss = await signIn("boss@acme.test", PASSWORD);
    expect((await boss.call("GET", "/recipients/carol%40acme.test")).json).toMatchObject({
      verdict: "accept",
    });
    const ours = await boss.call("GET", "/recipients/jane%40example.com");
    expect([ours.status, ours.json]).toEqual([
      200,
      { address: "jane@example.com", verdict: "reject", smtpCode: 550 },
    ]);

    // The operator (CLI `recipients check`, and the service as the system actor) answers for everything.
    expect(await index.check("carol@acme.test")).toMatchObject({ verdict: "accept", smtpCode: 250 });
    expect(
      await checkRecipientAs(system, index, { address: "carol@acme.test", account: "CxAy" }),
    ).toMatchObject({ verdict: "accept" });
  });

  it("answers 404 user_not_found alike for another tree's user and a missing one, on every per-user route", async () => {
    const { system, app, admin, signIn } = await setUp();
    const routes: [string, (address: string) => string, unknown][] = [
      ["GET", (a) => `/users/${a}`, undefined],
      ["PATCH", (a) => `/users/${a}`, { name: "Taken Over" }],
      ["POST", (a) => `/users/${a}/password`, { password: "Brave-Otter-55" }],
      ["POST", (a) => `/users/${a}/unlock`, undefined],
      ["POST", (a) => `/users/${a}/roles`, { role: "Helpdesk Administrator" }],
      ["GET", (a) => `/users/${a}/audit`, undefined],
    ];
    for (const [method, path, body] of routes) {
      const foreign = await admin.call(method, path("carol@acme.test"), body);
      const alias = await admin.call(method, path("c@acme.test"), body);
      const missing = await admin.call(method, path("ghost@acme.test"), body);
      expect([method, foreign.status, errorCode(foreign.json)]).toEqual([method, 404, "user_not_found"]);
      // Same body, but for the address asked about.
      const as = (json: unknown, from: string) => JSON.stringify(json).replaceAll(from, "ghost@acme.test");
      expect(as(foreign.json, "carol@acme.test")).toBe(JSON.stringify(missing.json));
      expect(as(alias.json, "c@acme.test")).toBe(JSON.stringify(missing.json));
    }
    // Nothing changed on Carol.
    const carol = await getUser(system, "carol@acme.test");
    expect(carol.name).toBe("Carol");
    expect(carol.roles).toEqual([]);

    // Within reach: the nested account's user is shown.
    expect((await admin.call("GET", "/users/eve@eu.example.net")).status).toBe(200);
    // A token made for the nested account reaches only that account: the rest of the tree is missing to it.
    const { token } = await createApiToken(
      { ...system, actor: { kind: "user", email: "admin@example.com" } },
      { name: "eu only", account: "eu1" },
    );
    const euToken = new ApiClient(app);
    euToken.bearer = token;
    expect((await euToken.call("GET", "/users/eve@eu.example.net")).status).toBe(200);
    const aboveToken = await euToken.call("GET", "/users/jane@example.com");
    expect([aboveToken.status, errorCode(aboveToken.json)]).toEqual([404, "user_not_found"]);
    // Within reach but not allowed still says so (a Helpdesk Administrator neither assigns roles nor reads audit).
    const helen = await signIn("helen@example.com", PASSWORD);
    const roles = await helen.call("POST", "/users/jane@example.com/roles", {
      role: "Helpdesk Administrator",
    });
    expect([roles.status, errorCode(roles.json)]).toEqual([403, "permission_denied"]);
    const audit = await helen.call("GET", "/users/jane@example.com/audit");
    expect([audit.status, errorCode(audit.json)]).toEqual([403, "permission_denied"]);
    const foreignAudit = await helen.call("GET", "/users/carol@acme.test/audit");
    expect([foreignAudit.status, errorCode(foreignAudit.json)]).toEqual([404, "user_not_found"]);
  });

  it("refuses a domain nested with another tree's domain on the API and the operator's door alike", async () => {
    const { system, admin } = await setUp();
    const add = (domain: string, account?: string) =>
      admin.call("POST", `/domains${account === undefined ? "" : `?account=${account}`}`, { domain });
    const refusals: [string, number, string][] = [
      ["sub.acme.test", 409, "domain_held_elsewhere"], // a subdomain of another tree's domain
      ["x.y.acme.test", 409, "domain_held_elsewhere"],
      ["corp.test", 409, "domain_held_elsewhere"], // a parent of another tree's mail.corp.test
      ["acme.test", 409, "domain_taken"], // the very name, whoever holds it
      ["example.com", 409, "domain_taken"],
    ];
    for (const [domain, status, code] of refusals) {
      const response = await add(domain);
      expect([domain, response.status, errorCode(response.json)]).toEqual([domain, status, code]);
    }
    // Names that only end alike are not nested; within one tree domains may nest, nested accounts included.
    expect((await add("xacme.test")).status).toBe(201);
    expect((await add("sub.example.com")).status).toBe(201);
    expect((await add("a.eu.example.net", "eu1")).status).toBe(201);
    await addDomain(system, { domain: "example.net", account: "CxAy" });

    // The operator's door (CLI `domains add`) keeps trees apart too.
    await expect(addDomain(system, { domain: "sub.acme.test", account: "CxAy" })).rejects.toMatchObject({
      code: "domain_held_elsewhere",
    });
    await expect(addDomain(system, { domain: "corp.test", account: "eu1" })).rejects.toMatchObject({
      code: "domain_held_elsewhere",
    });
    // ... and the other way round: Acme may not take a name under ours, nor one above it.
    await expect(addDomain(system, { domain: "new.example.org", account: "acme" })).rejects.toMatchObject({
      code: "domain_held_elsewhere",
    });
    await expect(addDomain(system, { domain: "net.example.net", account: "acme" })).rejects.toMatchObject({
      code: "domain_held_elsewhere",
    });
    await addDomain(system, { domain: "deep.mail.corp.test", account: "acme" });

    const listed = await admin.call("GET", "/domains");
    expect((listed.json as unknown as { domain: string }[]).map((d) => d.domain)).toEqual([
      "example.com",
      "example.net",
      "example.org",
      "sub.example.com",
      "xacme.test",
    ]);
  });

  it("answers another tree's account code exactly like a missing one", async () => {
    const { admin } = await setUp();
    const cases: [string, string, unknown][] = [
      ["POST", "/domains?account=", { domain: "fresh.test" }],
      ["POST", "/groups?account=", { path: "Staff" }],
      ["POST", "/groups/members?account=", { path: "Staff", members: ["jane@example.com"] }],
      ["GET", "/attributes?account=", undefined],
      ["GET", "/domains?account=", undefined],
      ["GET", "/groups?account=", undefined],
      ["GET", "/password-policy?account=", undefined],
      ["PATCH", "/password-policy?account=", { minLength: 12 }],
      ["GET", "/audit?account=", undefined],
      ["GET", "/users?account=", undefined],
      ["POST", "/users?account=", { email: "x@acme.test", name: "X" }],
      ["GET", "/imports?account=", undefined],
      ["GET", "/api-tokens?account=", undefined],
      ["POST", "/api-tokens?account=", { name: "probe" }],
    ];
    for (const [method, path, body] of cases) {
      const foreign = await admin.call(method, `${path}acme`, body);
      const missing = await admin.call(method, `${path}nope`, body);
      expect([path, foreign.status, errorCode(foreign.json)]).toEqual([path, 404, "account_not_found"]);
      expect(JSON.stringify(foreign.json).replaceAll("acme", "nope")).toBe(JSON.stringify(missing.json));
    }
    // A nested account is within reach.
    expect((await admin.call("POST", "/groups?account=eu1", { path: "Staff" })).status).toBe(201);
    // Another tree's user is not a member to add.
    const member = await admin.call("POST", "/groups/members", {
      path: "Staff",
      members: ["carol@acme.test"],
    });
    expect([member.status, errorCode(member.json)]).toEqual([404, "user_not_found"]);
  });
});
