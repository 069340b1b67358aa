import { describe, expect, it } from "vitest";
import { z } from "zod";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { hashSecret } from "../../src/services/auth-service.js";
import { getUser } from "../../src/services/users/find-users.js";
import { listAccounts } from "../../src/store/accounts-repository.js";
import { findAddressesByKeys } from "../../src/store/addresses-repository.js";
import { insertApiToken } from "../../src/store/api-tokens-repository.js";
import { listScimActivity } from "../../src/services/scim/scim-activity.js";
import { assignRole } from "../../src/services/users/assign-role.js";
import { saveUsers } from "../../src/services/users/save-users.js";
import { migrateToLatest } from "../../src/store/migrate.js";
import { openDatabase } from "../../src/store/open-database.js";
import { runCli } from "../support/cli.js";
import { createCliDatabaseUrl, DIALECTS, useTestDatabase } from "../support/databases.js";
import { ScimClient, GROUP, scimSetUp, USER } from "../support/scim-client.js";
import { createApp } from "../../src/http/app.js";
import { createSharedRateLimitStore } from "../../src/services/jobs/shared-rate-limit.js";

// RFC 7643 section 7's schema for attribute definitions, and sections 5 and 6 for the other two.
const attributeSchema: z.ZodType = z.lazy(() =>
  z
    .object({
      name: z.string().regex(/^(\$ref|[A-Za-z][A-Za-z0-9_-]*)$/),
      type: z.enum(["string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary"]),
      multiValued: z.boolean(),
      description: z.string(),
      required: z.boolean(),
      caseExact: z.boolean(),
      mutability: z.enum(["readOnly", "readWrite", "immutable", "writeOnly"]),
      returned: z.enum(["always", "never", "default", "request"]),
      uniqueness: z.enum(["none", "server", "global"]),
      canonicalValues: z.array(z.string()).optional(),
      referenceTypes: z.array(z.string()).optional(),
      subAttributes: z.array(attributeSchema).optional(),
    })
    .strict()
    .refine((a) => (a.type === "complex") === (a.subAttributes !== undefined), "complex has subAttributes")
    .refine((a) => a.type !== "reference" || a.referenceTypes !== undefined, "reference has referenceTypes"),
);
const schemaResource = z.object({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
  id: z.string().startsWith("urn:"),
  name: z.string(),
  description: z.string(),
  attributes: z.array(attributeSchema),
  meta: z.object({ resourceType: z.literal("Schema"), location: z.url() }),
});
const supported = z.object({ supported: z.boolean() });
const serviceProviderConfig = z.object({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")]),
  patch: supported,
  bulk: supported.extend({ maxOperations: z.int().positive(), maxPayloadSize: z.int().positive() }),
  filter: supported.extend({ maxResults: z.int().positive() }),
  changePassword: supported,
  sort: supported,
  etag: supported,
  authenticationSchemes: z
    .array(z.object({ type: z.string(), name: z.string(), description: z.string() }))
    .min(1),
});
const resourceType = z.object({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:schemas:core:2.0:ResourceType")]),
  id: z.string(),
  name: z.string(),
  endpoint: z.string().startsWith("/"),
  schema: z.string().startsWith("urn:"),
  schemaExtensions: z.array(z.object({ schema: z.string(), required: z.boolean() })).optional(),
});
const errorMessage = z.object({
  schemas: z.tuple([z.literal("urn:ietf:params:scim:api:messages:2.0:Error")]),
  status: z.string().regex(/^\d{3}$/),
  scimType: z.string().optional(),
  detail: z.string(),
});

const q = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

describe.each(DIALECTS)("SCIM protocol on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  it("serves discovery documents that validate against RFC 7643", async () => {
    const { scim } = await scimSetUp(database());
    const spc = await scim.call("GET", "/ServiceProviderConfig");
    expect(serviceProviderConfig.parse(spc.body).filter.maxResults).toBe(200);
    const types = await scim.call("GET", "/ResourceTypes");
    expect((types.body.Resources as unknown[]).map((t) => resourceType.parse(t).id)).toEqual([
      "User",
      "Group",
    ]);
    const schemas = await scim.call("GET", "/Schemas");
    const ids = (schemas.body.Resources as unknown[]).map((s) => schemaResource.parse(s).id);
    expect(ids).toContain(USER);
    expect((await scim.call("GET", `/Schemas/${USER}`)).body.id).toBe(USER);
    expect((await scim.call("GET", "/ResourceTypes/Group")).body.schema).toBe(GROUP);
  });

  it("filters, pages and projects lists", async () => {
    const { system, scim } = await scimSetUp(database());
    await saveUsers(system, {
      users: Array.from({ length: 7 }, (_, i) => ({
        email: `u${i}@example.com`,
        name: `User ${i}`,
        aliases: [`alias${i}@example.org`],
      })),
    });
    const all = await scim.call("GET", "/Users?startIndex=2&count=3&attributes=userName");
    expect(all.body).toMatchObject({ totalResults: 8, startIndex: 2, itemsPerPage: 3 });
    expect(Object.keys((all.body.Resources as object[])[0] ?? {}).sort()).toEqual([
      "id",
      "schemas",
      "userName",
    ]);
    expect((await scim.call("GET", "/Users?count=0")).body).toMatchObject({
      totalResults: 8,
      itemsPerPage: 0,
    });
    expect((await scim.call("GET", "/Users?count=9999")).body.itemsPerPage).toBe(8);
    expect((await scim.call("GET", q('userName sw "u" and displayName co "user"'))).body.totalResults).toBe(
      7,
    );
    expect((await scim.call("GET", q('emails.value eq "ALIAS3@example.org"'))).body.totalResults).toBe(1);
    expect(
      (await scim.call("GET", q('emails[type eq "other" and value sw "alias1"]'))).body.totalResults,
    ).toBe(1);
    expect((await scim.call("GET", q("externalId pr"))).body.totalResults).toBe(0);
    expect(
      (await scim.call("GET", q('userName eq "u1@example.com" or userName eq "u2@example.com"'))).body
        .totalResults,
    ).toBe(2);
    const paged = await scim.call("GET", `${q('userName sw "u"')}&startIndex=6&count=5`);
    expect(paged.body).toMatchObject({ totalResults: 7, itemsPerPage: 2 });
    const excluded = await scim.call(
      "GET",
      `${q('userName eq "u1@example.com"')}&excludedAttributes=emails,meta`,
    );
    expect((excluded.body.Resources as Record<string, unknown>[])[0]).not.toHaveProperty("emails");
    const search = await scim.call("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'userName eq "u4@example.com"',
      attributes: ["userName"],
    });
    expect(search.body.totalResults).toBe(1);
  });

  it("answers errors in the SCIM error schema with their scimType", async () => {
    const { scim } = await scimSetUp(database());
    const cases: [string, string, unknown, number, string | undefined][] = [
      ["GET", q("userName eq"), undefined, 400, "invalidFilter"],
      ["GET", "/Users/00000000-0000-0000-0000-000000000000", undefined, 404, undefined],
      ["POST", "/Users", { schemas: [USER], userName: "x@elsewhere.test" }, 400, "invalidValue"],
      ["POST", "/Users", { schemas: [USER], userName: "nobody" }, 400, "invalidValue"],
      ["POST", "/Users", "{not json", 400, "invalidSyntax"],
      ["POST", "/Users", { schemas: [USER], userName: "admin@example.com" }, 409, "uniqueness"],
      [
        "POST",
        "/Users",
        {
          userName: "a@example.com",
          emails: Array.from({ length: 12 }, (_, i) => ({ value: `a${i}@example.com` })),
        },
        400,
        "invalidValue",
      ],
      [
        "POST",
        "/Users",
        { userName: "b@example.com", "urn:x:User": { password2: "x" } },
        400,
        "invalidValue",
      ],
      ["GET", "/Nothing", undefined, 404, undefined],
    ];
    for (const [method, path, body, status, scimType] of cases) {
      const reply = await scim.call(method, path, body);
      expect([path, reply.status], JSON.stringify(reply.body)).toEqual([path, status]);
      expect(errorMessage.parse(reply.body).scimType).toBe(scimType);
    }
    const created = await scim.call("POST", "/Users", { userName: "c@example.com" });
    const id = created.body.id as string;
    const patch = (Operations: unknown[]) =>
      scim.call("PATCH", `/Users/${id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations,
      });
    expect((await patch([{ op: "replace", path: "emails[type eq", value: "x" }])).body.scimType).toBe(
      "invalidPath",
    );
    expect((await patch([{ op: "remove" }])).body.scimType).toBe("noTarget");
    expect((await patch([{ op: "replace", path: "id", value: "x" }])).body.scimType).toBe("mutability");
    expect(
      (await patch([{ op: "replace", path: "userName", value: "d@elsewhere.test" }])).body.scimType,
    ).toBe("invalidValue");
    expect(
      (await patch([{ op: "replace", path: "userName", value: "admin@example.com" }])).body.scimType,
    ).toBe("uniqueness");
    expect((await patch([{ op: "replace", path: "active", value: "perhaps" }])).body.scimType).toBe(
      "invalidValue",
    );
  });

  it("renames a user when userName changes (Entra's new userPrincipalName)", async () => {
    const { system, scim } = await scimSetUp(database());
    const created = await scim.call("POST", "/Users", {
      userName: "old.name@example.com",
      emails: [{ value: "old.name@example.com", type: "work", primary: true }, { value: "o@example.org" }],
    });
    const id = created.body.id as string;
    const renamed = await scim.call("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: "userName", value: "new.name@example.com" },
        { op: "Replace", path: 'emails[type eq "work"].value', value: "new.name@example.com" },
      ],
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.userName).toBe("new.name@example.com");
    const view = await getUser(system, "new.name@example.com");
    expect(view.aliases).toEqual(["o@example.org"]);
    await expect(getUser(system, "old.name@example.com")).rejects.toMatchObject({ code: "user_not_found" });
    // Taking one of the user's own aliases as the new primary address.
    const swapped = await scim.call("PUT", `/Users/${id}`, { userName: "o@example.org" });
    expect(swapped.status).toBe(200);
    expect((await getUser(system, "o@example.org")).aliases).toEqual([]);
  });

  it("runs Bulk with bulkId references and stops after failOnErrors", async () => {
    const { scim } = await scimSetUp(database());
    const bulk = await scim.call("POST", "/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        {
          method: "POST",
          path: "/Users",
          bulkId: "u1",
          data: { schemas: [USER], userName: "bulk1@example.com" },
        },
        {
          method: "POST",
          path: "/Groups",
          bulkId: "g1",
          data: { schemas: [GROUP], displayName: "Bulk", members: [{ value: "bulkId:u1" }] },
        },
        {
          method: "PATCH",
          path: "/Users/bulkId:u1",
          data: { Operations: [{ op: "replace", path: "displayName", value: "Bulk One" }] },
        },
        { method: "POST", path: "/Users", data: { userName: "bad@elsewhere.test" } },
        { method: "DELETE", path: "/Groups/bulkId:nothing" },
      ],
    });
    expect(bulk.status).toBe(200);
    const ops = bulk.body.Operations as Record<string, unknown>[];
    expect(ops.map((o) => o.status)).toEqual(["201", "201", "200", "400", "400"]);
    expect(ops[0]?.location).toMatch(/\/scim\/v2\/Users\/[0-9a-f-]{36}$/);
    const group = await scim.call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Bulk"')}`);
    expect(((group.body.Resources as Record<string, unknown>[])[0]?.members as unknown[]).length).toBe(1);

    const stopped = await scim.call("POST", "/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      failOnErrors: 1,
      Operations: [
        { method: "POST", path: "/Users", data: { userName: "x@elsewhere.test" } },
        { method: "POST", path: "/Users", data: { userName: "never@example.com" } },
      ],
    });
    expect((stopped.body.Operations as unknown[]).length).toBe(1);
    const tooMany = await scim.call("POST", "/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: Array.from({ length: 1001 }, () => ({ method: "DELETE", path: "/Users/x" })),
    });
    expect(tooMany.status).toBe(413);
  });

  it("refuses callers without a token, with a bad one, without the permission, and over the rate", async () => {
    const { system, app, scim } = await scimSetUp(database(), {
      scimLimiter: new RateLimiter(5, 60_000, () => new Date()),
    });
    expect((await new ScimClient(app, undefined).call("GET", "/Users")).status).toBe(401);
    expect((await new ScimClient(app, "mrt.nope").call("GET", "/Users")).status).toBe(401);
    await saveUsers(system, {
      users: [
        { email: "gw@example.com", name: "Gateway", password: "Tidal-Lantern-7", forceChangePassword: false },
      ],
    });
    await assignRole(system, { email: "gw@example.com", role: "Gateway Administrator" });
    // A token of an administrator without manage_users (written as the store holds one: only a session of an
    // administrator with manage_roles may make tokens, which a Gateway Administrator lacks).
    const [gw] = await findAddressesByKeys(system.db, ["gw@example.com"]);
    const [account] = await listAccounts(system.db);
    const secret = "A".repeat(43);
    const id = "0190aaaa-0000-7000-8000-000000000001";
    await insertApiToken(system.db, {
      id,
      account_id: account?.id ?? "",
      user_id: gw?.user_id ?? "",
      name: "gw",
      secret_hash: hashSecret(secret),
      created_by: "test",
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    });
    const denied = await new ScimClient(app, `mrt.${id}.${secret}`).call("GET", "/Users");
    expect([denied.status, denied.body.status]).toEqual([403, "403"]);
    for (let i = 0; i < 5; i++) expect((await scim.call("GET", "/Users")).status).toBe(200);
    const limited = await scim.call("GET", "/Users");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  });

  it("counts a token's rate across servers that share the counts", async () => {
    const store = createSharedRateLimitStore(database().db);
    const { system, app, scim, token } = await scimSetUp(database(), {
      scimLimiter: new RateLimiter(5, 60_000, () => new Date(), store),
    });
    // Another server on the same database: its own app and limiter, the same shared counts.
    const other = new ScimClient(
      createApp({ ...system, scimLimiter: new RateLimiter(5, 60_000, () => new Date(), store) }),
      token,
    );
    for (let i = 0; i < 3; i++) expect((await scim.call("GET", "/Users")).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await other.call("GET", "/Users")).status).toBe(200);
    expect((await other.call("GET", "/Users")).status).toBe(429);
    expect((await new ScimClient(app, token).call("GET", "/Users")).status).toBe(429);
  });

  it("logs changes and refusals for the console, newest first", async () => {
    const { system, scim } = await scimSetUp(database());
    await scim.call("POST", "/Users", { userName: "log@example.com" });
    await scim.call("POST", "/Users", { userName: "log@elsewhere.test" });
    await scim.call("GET", "/Users");
    const admin = { ...system, actor: { kind: "user" as const, email: "admin@example.com" } };
    const activity = await listScimActivity(admin, { limit: 10 });
    expect(activity.items.map((i) => [i.method, i.status, i.scimType, i.token])).toEqual([
      ["POST", 400, "invalidValue", "entra-provisioning"],
      ["POST", 201, null, "entra-provisioning"],
    ]);
    expect((await listScimActivity(admin, { limit: 10, errorsOnly: true })).items).toHaveLength(1);
  });

  it("lists the activity from the command line: mailroster scim activity [--json]", async () => {
    const { url, cleanup } = await createCliDatabaseUrl(dialect);
    try {
      const open = await openDatabase(url);
      await migrateToLatest(open.db);
      const { scim } = await scimSetUp(open);
      await scim.call("POST", "/Users", { userName: "cli@example.com" });
      await scim.call("DELETE", "/Users/00000000-0000-0000-0000-000000000000");
      await open.close();
      const text = await runCli(["scim", "activity", "--db", url]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        /entra-provisioning\tDELETE \/scim\/v2\/Users\/0{8}-[0-9-]+\t404 scim_resource_not_found/,
      );
      const json = await runCli(["scim", "activity", "--json", "--errors-only", "--db", url]);
      expect((JSON.parse(json.stdout) as { items: unknown[] }).items).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });
});
