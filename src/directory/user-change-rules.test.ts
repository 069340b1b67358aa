import { describe, expect, it } from "vitest";
import {
  checkUserChange,
  MAX_ALIASES_PER_USER,
  type RuleActor,
  type RuleTarget,
} from "./user-change-rules.js";
import { looksLikeSecret } from "./attribute-name.js";

const helpdesk: RuleActor = { roles: ["helpdesk_administrator"] };
const basic: RuleActor = { roles: ["basic_administrator"] };
const superAdmin: RuleActor = { roles: ["super_administrator"] };
const master: RuleActor = { roles: ["master_administrator"] };
const operator: RuleActor = { roles: "all" };
const mailUser: RuleTarget = { roles: [], accountKind: "standalone" };
const codes = (violations: readonly { code: string }[]): string[] => violations.map((v) => v.code);

describe("checkUserChange", () => {
  it("lets anyone who may manage users change a user without a role", () => {
    expect(checkUserChange(helpdesk, mailUser, { fields: ["password", "accountlockedout", "name"] })).toEqual(
      [],
    );
  });

  it("refuses every changed field of a user who outranks the actor, and nothing for unchanged ones", () => {
    const target: RuleTarget = { roles: ["master_administrator"], accountKind: "master" };
    const violations = checkUserChange(helpdesk, target, { fields: ["password", "changepassword"] });
    expect(violations.map((v) => [v.code, v.field])).toEqual([
      ["protected_role_required", "password"],
      ["protected_role_required", "changepassword"],
    ]);
    expect(checkUserChange(helpdesk, target, { fields: [] })).toEqual([]);
    expect(checkUserChange(superAdmin, target, { fields: ["name"] }).map((v) => v.code)).toEqual([
      "role_outranks_actor",
    ]);
    expect(checkUserChange(master, target, { fields: ["password"] })).toEqual([]);
  });

  it("refuses a peer with rights the actor lacks, as role_outranks_actor", () => {
    const gateway: RuleTarget = { roles: ["gateway_administrator"], accountKind: "standalone" };
    expect(codes(checkUserChange(helpdesk, gateway, { fields: ["password"] }))).toEqual([
      "role_outranks_actor",
    ]);
    expect(
      codes(
        checkUserChange(basic, { ...gateway, roles: ["helpdesk_administrator"] }, { fields: ["password"] }),
      ),
    ).toEqual([]);
  });

  it("grants a role only on the account kinds it lives in and only at or below the actor", () => {
    const mp: RuleTarget = { roles: [], accountKind: "mail-processing" };
    expect(
      codes(checkUserChange(operator, mp, { fields: ["adminrole"], grantRoles: ["master_administrator"] })),
    ).toEqual(["role_not_available"]);
    expect(
      codes(checkUserChange(basic, mailUser, { fields: ["adminrole"], grantRoles: ["full_administrator"] })),
    ).toEqual(["protected_role_required"]);
    expect(
      codes(
        checkUserChange(helpdesk, mailUser, { fields: ["adminrole"], grantRoles: ["basic_administrator"] }),
      ),
    ).toEqual(["role_outranks_actor"]);
    expect(
      checkUserChange(superAdmin, mailUser, { fields: ["adminrole"], grantRoles: ["full_administrator"] }),
    ).toEqual([]);
  });

  it("holds a user to ten aliases and attributes to their limits", () => {
    expect(
      codes(
        checkUserChange(operator, mailUser, { fields: ["aliases"], aliasCount: MAX_ALIASES_PER_USER + 1 }),
      ),
    ).toEqual(["alias_limit_exceeded"]);
    expect(
      checkUserChange(operator, mailUser, { fields: ["aliases"], aliasCount: MAX_ALIASES_PER_USER }),
    ).toEqual([]);
    // A door that adds (the import) counts the stored aliases with the new ones, and points at the first over.
    const added = (stored: number, n: number) =>
      checkUserChange(operator, mailUser, { fields: ["aliases"], addedAliases: { stored, added: n } }).map(
        (v) => [v.code, v.position],
      );
    expect(added(6, 6)).toEqual([["alias_limit_exceeded", 4]]);
    expect(added(10, 1)).toEqual([["alias_limit_exceeded", 0]]);
    expect(added(4, 6)).toEqual([]);
    expect(added(10, 0)).toEqual([]);
    // A user over the limit already (stored before the rule) is not refused a change that adds none.
    expect(added(12, 0)).toEqual([]);
    expect(added(0, 11)).toEqual([["alias_limit_exceeded", 10]]);
    const long = "x".repeat(1001);
    const violations = checkUserChange(operator, mailUser, {
      fields: ["attributes"],
      attributes: [
        { name: "Notes", value: long },
        { name: "Dept", value: "x".repeat(1000) },
      ],
      newAttributeNames: ["Initial Password", "Department"],
    });
    expect(violations.map((v) => [v.code, v.subject])).toEqual([
      ["attribute_looks_secret", "Initial Password"],
      ["attribute_value_too_long", "Notes"],
    ]);
    // Characters, not UTF-16 units: 1,000 emoji are 2,000 units and still allowed.
    expect(
      checkUserChange(operator, mailUser, {
        fields: [],
        attributes: [{ name: "a", value: "😀".repeat(1000) }],
      }),
    ).toEqual([]);
  });
});

describe("looksLikeSecret", () => {
  it("spots a password column however it is written, and leaves other names alone", () => {
    for (const name of [
      "initial password",
      "Initial_Password",
      "PWD",
      "Kennwort",
      "pass-word",
      "Secret Answer",
    ]) {
      expect(looksLikeSecret(name)).toBe(true);
    }
    for (const name of ["Department", "Passport number", "Cost centre", "passwords_note".slice(0, 4)]) {
      expect(looksLikeSecret(name)).toBe(false);
    }
  });
});
