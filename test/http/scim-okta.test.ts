import { describe, expect, it } from "vitest";
import { getUser } from "../../src/services/users/find-users.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { GROUP, PATCH_OP, scimSetUp, USER } from "../support/scim-client.js";

/**
 * The requests Okta's SCIM 2.0 client sends (developer.okta.com, "SCIM 2.0 integration test requests" and
 * the integration-network template), replayed in order: the connection test, a lookup by userName before
 * every create, full PUT updates carrying active, deactivation and reactivation by PATCH, group pushes.
 */
describe.each(DIALECTS)("SCIM replay of Okta on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  it("provisions, updates, deactivates, reactivates, pushes groups and deletes", async () => {
    const { system, scim } = await scimSetUp(database());

    // The connection test.
    const test = await scim.call("GET", "/Users?startIndex=1&count=2");
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ startIndex: 1, itemsPerPage: 1, totalResults: 1 });

    const lookup = await scim.call(
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "jane.doe@example.com"')}&startIndex=1&count=100`,
    );
    expect(lookup.body.totalResults).toBe(0);
    const created = await scim.call("POST", "/Users", {
      schemas: [USER],
      userName: "jane.doe@example.com",
      name: { givenName: "Jane", familyName: "Doe" },
      emails: [{ primary: true, value: "jane.doe@example.com", type: "work" }],
      displayName: "Jane Doe",
      locale: "en-US",
      externalId: "00u1a2b3c4",
      groups: [],
      password: "Morning-Glory-4471",
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.password).toBeUndefined();
    const view = await getUser(system, "jane.doe@example.com");
    expect(view).toMatchObject({ type: "directory", name: "Jane Doe", hasPassword: true });

    // The lookup now finds her, by userName and by externalId.
    const again = await scim.call(
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "JANE.DOE@example.com"')}`,
    );
    expect((again.body.Resources as { id: string }[])[0]?.id).toBe(id);
    const byExternal = await scim.call(
      "GET",
      `/Users?filter=${encodeURIComponent('externalId eq "00u1a2b3c4"')}`,
    );
    expect(byExternal.body.totalResults).toBe(1);

    // Okta's profile update: GET, then a full PUT carrying active.
    const current = await scim.call("GET", `/Users/${id}`);
    const put = await scim.call("PUT", `/Users/${id}`, {
      ...current.body,
      name: { givenName: "Janet", familyName: "Doe" },
      displayName: "Janet Doe",
      title: "Engineer",
      active: true,
    });
    expect(put.status).toBe(200);
    expect(await getUser(system, "jane.doe@example.com")).toMatchObject({
      name: "Janet Doe",
      attributes: { givenName: "Janet", familyName: "Doe", locale: "en-US", title: "Engineer" },
    });

    // Deactivation and reactivation (the integration-network template's PATCH).
    const off = await scim.call("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(off.body.active).toBe(false);
    expect((await getUser(system, "jane.doe@example.com")).locked).toBe(true);
    const on = await scim.call("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { active: true } }],
    });
    expect(on.body.active).toBe(true);

    // A password change pushed from Okta goes through the policy: a weak one is refused as invalidValue.
    const weak = await scim.call("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { password: "abc" } }],
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ scimType: "invalidValue" });

    // Group push: create with members, rename, add and remove members, delete.
    const group = await scim.call("POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Engineering",
      members: [{ value: id, display: "jane.doe@example.com" }],
    });
    expect(group.status).toBe(201);
    const groupId = group.body.id as string;
    expect(group.body.members).toEqual([
      expect.objectContaining({ value: id, display: "jane.doe@example.com" }),
    ]);
    const rename = await scim.call("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", value: { id: groupId, displayName: "Engineering EU" } }],
    });
    expect(rename.body.displayName).toBe("Engineering EU");
    const remove = await scim.call("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "remove", path: `members[value eq "${id}"]` }],
    });
    expect(remove.body.members).toEqual([]);
    const addBack = await scim.call("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "members", value: [{ value: id, display: "jane.doe@example.com" }] }],
    });
    expect((addBack.body.members as unknown[]).length).toBe(1);
    const putGroup = await scim.call("PUT", `/Groups/${groupId}`, {
      schemas: [GROUP],
      id: groupId,
      displayName: "Engineering EU",
      members: [],
    });
    expect(putGroup.body.members).toEqual([]);
    expect((await scim.call("DELETE", `/Groups/${groupId}`)).status).toBe(204);
    expect((await scim.call("GET", `/Groups/${groupId}`)).status).toBe(404);

    // And the user's deletion.
    expect((await scim.call("DELETE", `/Users/${id}`)).status).toBe(204);
    expect(
      (await scim.call("GET", `/Users?filter=${encodeURIComponent('userName eq "jane.doe@example.com"')}`))
        .body.totalResults,
    ).toBe(0);
  });
});
