import { describe, expect, it } from "vitest";
import { getUser } from "../../src/services/users/find-users.js";
import { listUserAudit } from "../../src/services/users/user-audit.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";
import { ENTERPRISE, GROUP, PATCH_OP, scimSetUp, USER } from "../support/scim-client.js";

/**
 * The requests Microsoft Entra ID's provisioning service sends (learn.microsoft.com, "Develop a SCIM
 * endpoint" and "Known issues ... SCIM 2.0 protocol compliance"), replayed in order: with the
 * aadOptscim062020 flag (lower-case ops, booleans) and without it ("Replace", "False", members removed by
 * value).
 */
describe.each(DIALECTS)("SCIM replay of Microsoft Entra ID on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  for (const flag of [true, false]) {
    it(`provisions, updates, deactivates, reactivates, groups and deletes ${flag ? "with" : "without"} aadOptscim062020`, async () => {
      const { system, scim } = await scimSetUp(database());
      const op = (name: string) => (flag ? name : name.charAt(0).toUpperCase() + name.slice(1));
      const bool = (value: boolean) => (flag ? value : value ? "True" : "False");

      // The connection test: a user that cannot exist.
      const probe = await scim.call(
        "GET",
        `/Users?filter=${encodeURIComponent('userName eq "ab2d1be0-0a29-4a1f-9a2c-5a2b3c4d5e6f"')}`,
      );
      expect(probe.status).toBe(200);
      expect(probe.body).toMatchObject({ totalResults: 0, Resources: [] });

      // Match by userName first, then create.
      const filter = encodeURIComponent('userName eq "Test_User_ab6490ee@example.com"');
      expect((await scim.call("GET", `/Users?filter=${filter}`)).body.totalResults).toBe(0);
      const created = await scim.call("POST", "/Users", {
        schemas: [USER, ENTERPRISE],
        externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        userName: "Test_User_ab6490ee@example.com",
        active: true,
        emails: [{ primary: true, type: "work", value: "Test_User_ab6490ee@example.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "givenName familyName", familyName: "familyName", givenName: "givenName" },
        roles: [],
        [ENTERPRISE]: { department: "Sales", manager: { value: "" } },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get("content-type")).toContain("application/scim+json");
      const id = created.body.id as string;
      expect(created.headers.get("location")).toBe(`http://mail.example.com/scim/v2/Users/${id}`);
      expect(created.body).toMatchObject({
        userName: "Test_User_ab6490ee@example.com",
        active: true,
        externalId: "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
      });
      const view = await getUser(system, "test_user_ab6490ee@example.com");
      expect(view).toMatchObject({ type: "directory", name: "givenName familyName", locked: false });
      expect(view.attributes).toMatchObject({
        department: "Sales",
        givenName: "givenName",
        familyName: "familyName",
      });

      // A second create of the same user is a uniqueness conflict.
      const again = await scim.call("POST", "/Users", {
        schemas: [USER],
        userName: "Test_User_ab6490ee@example.com",
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ scimType: "uniqueness", status: "409" });

      // Update: Entra's PATCH of changed attributes, a work email path and the enterprise extension.
      const updated = await scim.call("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [
          { op: op("replace"), path: "displayName", value: "Test User Renamed" },
          { op: op("add"), path: 'emails[type eq "other"].value', value: "tu.alias@example.org" },
          { op: op("replace"), path: "name.familyName", value: "Renamed" },
          { op: op("add"), path: `${ENTERPRISE}:employeeNumber`, value: "E-42" },
          { op: op("add"), path: `${ENTERPRISE}:manager`, value: "0b2b7c0f" },
        ],
      });
      expect(updated.status).toBe(200);
      const renamed = await getUser(system, "test_user_ab6490ee@example.com");
      expect(renamed.name).toBe("Test User Renamed");
      expect(renamed.aliases).toEqual(["tu.alias@example.org"]);
      expect(renamed.attributes).toMatchObject({
        familyName: "Renamed",
        employeeNumber: "E-42",
        manager: "0b2b7c0f",
      });

      // Deactivate (a PATCH of active), then reactivate.
      const deactivate = await scim.call("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: op("replace"), path: "active", value: bool(false) }],
      });
      expect(deactivate.body.active).toBe(false);
      expect((await getUser(system, "test_user_ab6490ee@example.com")).locked).toBe(true);
      const reactivate = await scim.call("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: op("replace"), value: { active: bool(true) } }],
      });
      expect(reactivate.body.active).toBe(true);
      expect((await getUser(system, "test_user_ab6490ee@example.com")).locked).toBe(false);

      // Groups: look up by displayName without members, create, add and remove a member.
      const groupFilter = encodeURIComponent('displayName eq "Sales Team"');
      const lookup = await scim.call("GET", `/Groups?excludedAttributes=members&filter=${groupFilter}`);
      expect(lookup.body.totalResults).toBe(0);
      const group = await scim.call("POST", "/Groups", {
        schemas: [GROUP],
        externalId: "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
        displayName: "Sales Team",
        members: [],
      });
      expect(group.status).toBe(201);
      const groupId = group.body.id as string;
      const add = await scim.call("PATCH", `/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: op("add"), path: "members", value: [{ value: id }] }],
      });
      expect(add.status).toBe(200);
      expect((await getUser(system, "test_user_ab6490ee@example.com")).groups).toEqual(["Sales Team"]);
      const found = await scim.call("GET", `/Groups?excludedAttributes=members&filter=${groupFilter}`);
      expect(found.body).toMatchObject({ totalResults: 1 });
      expect((found.body.Resources as Record<string, unknown>[])[0]?.members).toBeUndefined();
      const remove = await scim.call("PATCH", `/Groups/${groupId}`, {
        schemas: [PATCH_OP],
        Operations: flag
          ? [{ op: "remove", path: `members[value eq "${id}"]` }]
          : [{ op: "Remove", path: "members", value: [{ value: id }] }],
      });
      expect(remove.status).toBe(200);
      expect((await getUser(system, "test_user_ab6490ee@example.com")).groups).toEqual([]);

      // Every change is in the user's history, naming the token.
      const history = await listUserAudit(
        { ...system, actor: { kind: "user", email: "admin@example.com" } },
        "test_user_ab6490ee@example.com",
        { page: 1, pageSize: 100 },
      );
      const scimRows = history.items.filter((i) => i.action.startsWith("scim."));
      expect(scimRows.length).toBeGreaterThanOrEqual(4);
      expect(scimRows[0]?.after).toMatchObject({ token: { name: "entra-provisioning" } });
      expect(history.items.some((i) => i.action === "group.remove_member")).toBe(true);

      // The hard delete, then the user is gone.
      expect((await scim.call("DELETE", `/Users/${id}`)).status).toBe(204);
      expect((await scim.call("GET", `/Users/${id}`)).status).toBe(404);
      await expect(getUser(system, "test_user_ab6490ee@example.com")).rejects.toMatchObject({
        code: "user_not_found",
      });
    });
  }
});
