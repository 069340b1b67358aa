import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { RecipientIndex } from "../../src/services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../src/services/recipient-settings-service.js";
import { createApiToken } from "../../src/services/api-tokens-service.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { createUser } from "../../src/services/users/create-user.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { ApiClient, errorCode } from "../support/api-client.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { HELEN, initExample, makeContext } from "../support/service-context.js";

describe.each(DIALECTS)("GET /api/v1/recipients/{address} on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  async function setUp() {
    const context = makeContext(database());
    await initExample(context);
    await saveUsers(context, {
      users: [
        { email: "dora@example.com", name: "Dora", type: "directory", aliases: ["d@example.com"] },
        { email: "ivan@example.com", name: "Ivan", type: "imported" },
      ],
    });
    const app = createApp({ ...context, recipients: new RecipientIndex(context.db) });
    // The gateway asks with a token of an administrator who may manage domains.
    const { token } = await createApiToken(
      { ...context, actor: { kind: "user", email: "admin@example.com" } },
      { name: "gateway" },
    );
    const get = async (address: string, bearer: string | null = token) => {
      const response = await app.request(`/api/v1/recipients/${encodeURIComponent(address)}`, {
        headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    return { context, app, get };
  }

  it("answers per the domain's mode and follows every directory change", async () => {
    const { context, get } = await setUp();
    // example.com starts as known-recipients: any type, primary or alias.
    expect(await get("Ivan@Example.com")).toEqual({
      status: 200,
      body: { address: "Ivan@example.com", verdict: "accept", smtpCode: 250 },
    });
    expect((await get("d@example.com")).body).toMatchObject({ verdict: "accept" });
    expect((await get("nobody@example.com")).body).toMatchObject({ verdict: "defer", smtpCode: 451 });

    await setRecipientValidation(context, { domain: "example.com", recipientValidation: "directory-users" });
    expect((await get("ivan@example.com")).body).toMatchObject({ verdict: "defer", smtpCode: 451 });
    expect((await get("d@example.com")).body).toMatchObject({ verdict: "accept", smtpCode: 250 });

    await setUnknownRecipientAction(context, { action: "reject" });
    expect((await get("ivan@example.com")).body).toMatchObject({ verdict: "reject", smtpCode: 550 });

    await setRecipientValidation(context, { domain: "example.com", recipientValidation: "accept-all" });
    expect((await get("anyone@example.com")).body).toMatchObject({ verdict: "accept", smtpCode: 250 });

    // A new user is seen at once: the trigger-bumped version makes the index reload.
    await setRecipientValidation(context, { domain: "example.org", recipientValidation: "known-recipients" });
    expect((await get("new@example.org")).body).toMatchObject({ verdict: "reject" });
    await createUser(context, { email: "new@example.org", name: "New" });
    expect((await get("new@example.org")).body).toMatchObject({ verdict: "accept" });

    // Not an internal domain: the gateway does not relay.
    expect((await get("someone@elsewhere.net")).body).toMatchObject({ verdict: "reject", smtpCode: 550 });
  });

  it("answers only a caller who may manage domains: not anonymous callers, not a Helpdesk Administrator", async () => {
    const { context, app, get } = await setUp();
    const anonymous = await get("ivan@example.com", null);
    expect([anonymous.status, errorCode(anonymous.body)]).toEqual([401, "not_signed_in"]);
    await saveUsers(context, { users: [HELEN] });
    await assignRole(context, { email: "helen@example.com", role: "Helpdesk Administrator" });
    const helen = new ApiClient(app);
    await helen.call("POST", "/auth/sign-in", { email: HELEN.email, password: HELEN.password });
    const refused = await helen.call("GET", "/recipients/ivan%40example.com");
    expect([refused.status, errorCode(refused.json)]).toEqual([403, "permission_denied"]);
  });

  it("refuses what is not an address, and unknown routes, with error codes", async () => {
    const { app, get } = await setUp();
    const bad = await get("not-an-address");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "address_invalid" } });
    const missing = await app.request("/api/v1/nothing");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "route_not_found" } });
  });
});
