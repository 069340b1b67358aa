import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { RecipientIndex } from "../../src/services/recipient-index.js";
import {
  setRecipientValidation,
  setUnknownRecipientAction,
} from "../../src/services/recipient-settings-service.js";
import { createUser, saveUsers } from "../../src/services/users-service.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { initExample, makeContext } from "../support/service-context.js";

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
    const get = async (address: string): Promise<{ status: number; body: unknown }> => {
      const response = await app.request(`/api/v1/recipients/${encodeURIComponent(address)}`);
      return { status: response.status, body: await response.json() };
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
