import { describe, expect, it } from "vitest";
import {
  findRole,
  hasPermission,
  isRoleAvailableIn,
  mayActOn,
  mayGrant,
  ROLE_NAMES_TEXT,
  ROLES,
} from "./roles.js";

describe("roles", () => {
  it("finds a role by name in any case, or by id", () => {
    expect(findRole("basic administrator").id).toBe("basic_administrator");
    expect(findRole("Super Administrator").protected).toBe(true);
    expect(findRole("master_administrator").masterOnly).toBe(true);
  });

  it("refuses an unknown role", () => {
    expect(() => findRole("Root")).toThrow(expect.objectContaining({ code: "role_unknown" }));
    expect(() => findRole("Administrator")).toThrow(expect.objectContaining({ code: "role_unknown" }));
    expect(() => findRole("")).toThrow(expect.objectContaining({ code: "role_unknown" }));
    // The message quotes at most 60 characters of what was written, then lists the accepted names.
    expect(() => findRole("😀".repeat(500))).toThrow(`"${"😀".repeat(60)}": use a role's name or short name`);
  });

  it("finds every role by its short name or its full name, in any case, spaces around ignored", () => {
    for (const role of ROLES) {
      for (const text of [
        role.shortName,
        role.name,
        ` ${role.shortName.toUpperCase()} `,
        role.name.toLowerCase(),
      ])
        expect(findRole(text)).toBe(role);
    }
    expect(findRole("\tbasic\u00a0").id).toBe("basic_administrator");
    expect(findRole("Helpdesk").id).toBe("helpdesk_administrator");
    expect(findRole("GATEWAY").id).toBe("gateway_administrator");
    expect(findRole("Discovery").id).toBe("discovery_officer");
  });

  it("gives each role one short name, which names no other role", () => {
    const texts = ROLES.flatMap((r) => [r.name, r.shortName, r.id].map((t) => [t.toLowerCase(), r.id]));
    const owners = new Map<string, Set<string>>();
    for (const [text = "", id = ""] of texts) owners.set(text, (owners.get(text) ?? new Set()).add(id));
    expect([...owners].filter(([, ids]) => ids.size > 1)).toEqual([]);
    expect(ROLES.every((r) => r.shortName.length > 0 && !/\s/.test(r.shortName))).toBe(true);
    expect(ROLE_NAMES_TEXT).toContain("Basic Administrator (Basic)");
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
