import { describe, expect, it } from "vitest";
import { findRole, hasPermission, mayChangeSecurityOf } from "./roles.js";

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

  it("keeps protected holders' security fields for protected holders", () => {
    expect(mayChangeSecurityOf(["basic_administrator"], ["full_administrator"])).toBe(false);
    expect(mayChangeSecurityOf(["discovery_officer"], ["super_administrator"])).toBe(true);
    expect(mayChangeSecurityOf(["helpdesk_administrator"], ["basic_administrator"])).toBe(true);
    expect(mayChangeSecurityOf([], [])).toBe(true);
  });
});
