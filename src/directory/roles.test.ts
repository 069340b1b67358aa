import { describe, expect, it } from "vitest";
import { findRole, hasPermission, isRoleAvailableIn, mayActOn, mayGrant, ROLES } from "./roles.js";

describe("roles", () => {
  it("finds a role by name in any case, or by id", () => {
    expect(findRole("basic administrator").id).toBe("basic_administrator");
    expect(findRole("Super Administrator").protected).toBe(true);
    expect(findRole("master_administrator").masterOnly).toBe(true);
  });

  it("refuses an unknown role", () => {
    expect(() => findRole("Root")).toThrow(expect.objectContaining({ code: "role_unknown" }));
  });

  it("lets a Basic Administrator manage users, groups and imports but not roles", () => {
    const roles = [findRole("Basic Administrator").id];
    expect(hasPermission(roles, "manage_users")).toBe(true);
    expect(hasPermission(roles, "manage_groups")).toBe(true);
    expect(hasPermission(roles, "import_users")).toBe(true);
    expect(hasPermission(roles, "manage_roles")).toBe(false);
  });

  it("lets a role act only on users whose every role is at or below its own", () => {
    expect(mayActOn(["basic_administrator"], ["full_administrator"])).toBe(false);
    expect(mayActOn(["discovery_officer"], ["super_administrator"])).toBe(false);
    expect(mayActOn(["helpdesk_administrator"], ["basic_administrator"])).toBe(false);
    expect(mayActOn(["basic_administrator"], ["helpdesk_administrator"])).toBe(true);
    // Peers with other permissions: a reset would hand the actor the target's rights.
    expect(mayActOn(["helpdesk_administrator"], ["gateway_administrator"])).toBe(false);
    expect(mayActOn(["full_administrator"], ["super_administrator"])).toBe(false);
    expect(mayActOn(["full_administrator"], ["discovery_officer", "basic_administrator"])).toBe(true);
    expect(mayActOn(["super_administrator"], ["master_administrator"])).toBe(false);
    expect(mayActOn(["master_administrator"], ["super_administrator", "migration_administrator"])).toBe(true);
    expect(mayActOn(["helpdesk_administrator"], [])).toBe(true);
    expect(mayActOn("all", ["master_administrator"])).toBe(true);
  });

  it("treats Master Administrator as protected and every role as acting on its own peers", () => {
    expect(findRole("Master Administrator").protected).toBe(true);
    for (const role of ROLES) expect(mayActOn([role.id], [role.id])).toBe(true);
    for (const role of ROLES) {
      if (role.protected)
        expect(mayActOn(["basic_administrator", "gateway_administrator"], [role.id])).toBe(false);
    }
  });

  it("grants only roles at or below the granter's, on the account kinds a role lives in", () => {
    expect(mayGrant(["full_administrator"], "super_administrator")).toBe(false);
    expect(mayGrant(["super_administrator"], "full_administrator")).toBe(true);
    expect(mayGrant(["helpdesk_administrator"], "master_administrator")).toBe(false);
    expect(isRoleAvailableIn("master_administrator", "mail-processing")).toBe(false);
    expect(isRoleAvailableIn("migration_administrator", "master")).toBe(true);
    expect(isRoleAvailableIn("basic_administrator", "mail-processing")).toBe(true);
  });
});
