import { describe, expect, it } from "vitest";
import { applyPatch, parsePatchRequest, type PatchSchema } from "./apply-patch.js";
import type { AttributePath } from "./attribute-path.js";
import { findAttribute, SCHEMA_DEFINITIONS } from "./schema-definitions.js";
import { ENTERPRISE_USER_SCHEMA, PATCH_OP } from "./scim-urns.js";

const schema: PatchSchema = {
  id: "u1",
  definitionOf: (path: AttributePath) => {
    const schemas =
      path.schema === ENTERPRISE_USER_SCHEMA ? SCHEMA_DEFINITIONS.slice(1, 2) : SCHEMA_DEFINITIONS;
    return findAttribute(
      schemas,
      path.schema === ENTERPRISE_USER_SCHEMA ? ENTERPRISE_USER_SCHEMA : undefined,
      path.attribute,
    );
  },
  caseExact: () => false,
};

const base = () => ({
  id: "u1",
  userName: "jane@example.com",
  displayName: "Jane",
  active: true,
  emails: [{ value: "jane@example.com", type: "work", primary: true }],
  name: { givenName: "Jane", familyName: "Doe" },
});

const patch = (operations: unknown[], resource: Record<string, unknown> = base()) =>
  applyPatch(resource, parsePatchRequest({ schemas: [PATCH_OP], Operations: operations }), schema);

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

describe("SCIM PATCH (RFC 7644 3.5.2) with the habits of Entra and Okta", () => {
  it("takes ops in any case and 'False' as a boolean (Entra before aadOptscim062020)", () => {
    expect(patch([{ op: "Replace", path: "active", value: "False" }]).active).toBe(false);
    expect(patch([{ op: "REPLACE", path: "active", value: "True" }]).active).toBe(true);
    expect(patch([{ op: "replace", value: { active: false } }]).active).toBe(false);
  });

  it('sets emails[type eq "work"].value, creating the element when none matches', () => {
    const changed = patch([{ op: "replace", path: 'emails[type eq "work"].value', value: "j@example.com" }]);
    expect(changed.emails).toEqual([{ value: "j@example.com", type: "work", primary: true }]);
    const added = patch([{ op: "Add", path: 'emails[type eq "home"].value', value: "home@example.com" }]);
    expect(added.emails).toEqual([
      { value: "jane@example.com", type: "work", primary: true },
      { type: "home", value: "home@example.com" },
    ]);
  });

  it("reads dotted and filtered keys of a no-path value, and extension objects", () => {
    const changed = patch([
      {
        op: "replace",
        value: {
          "name.givenName": "Janet",
          'emails[type eq "work"].value': "janet@example.com",
          [ENTERPRISE_USER_SCHEMA]: { department: "Sales" },
          id: "u1",
        },
      },
    ]);
    expect(changed.name).toEqual({ givenName: "Janet", familyName: "Doe" });
    expect((changed.emails as { value: string }[])[0]?.value).toBe("janet@example.com");
    expect(changed[ENTERPRISE_USER_SCHEMA]).toEqual({ department: "Sales" });
  });

  it("adds and removes members by value, by a value filter, or all of them", () => {
    const group = {
      id: "g1",
      displayName: "Sales",
      members: [{ value: "a" }, { value: "b" }, { value: "c" }],
    };
    const added = patch([{ op: "add", path: "members", value: [{ value: "d" }, { value: "a" }] }], group);
    expect((added.members as unknown[]).length).toBe(4);
    const removed = patch([{ op: "Remove", path: "members", value: [{ value: "b" }] }], group);
    expect(removed.members).toEqual([{ value: "a" }, { value: "c" }]);
    const filtered = patch([{ op: "remove", path: 'members[value eq "c"]' }], group);
    expect(filtered.members).toEqual([{ value: "a" }, { value: "b" }]);
    const none = patch([{ op: "remove", path: "members" }], group);
    expect(none.members).toBeUndefined();
  });

  it("keeps one primary, merges complex replaces, and removes sub-attributes", () => {
    const resource = patch([
      { op: "add", path: "emails", value: [{ value: "x@example.com", type: "other", primary: true }] },
      { op: "replace", path: "name", value: { givenName: "J" } },
      { op: "remove", path: "name.familyName" },
      { op: "add", path: `${ENTERPRISE_USER_SCHEMA}:manager`, value: "boss-id" },
    ]);
    expect(resource.emails).toEqual([
      { value: "jane@example.com", type: "work", primary: false },
      { value: "x@example.com", type: "other", primary: true },
    ]);
    expect(resource.name).toEqual({ givenName: "J" });
    expect(resource[ENTERPRISE_USER_SCHEMA]).toEqual({ manager: "boss-id" });
  });

  it("refuses what it cannot apply with the SCIM codes", () => {
    expect(refusal(() => patch([{ op: "move", path: "active", value: true }]))).toBe("scim_syntax_invalid");
    expect(refusal(() => patch([{ op: "remove" }]))).toBe("scim_no_target");
    expect(refusal(() => patch([{ op: "replace", path: "id", value: "x" }]))).toBe("scim_mutability");
    expect(refusal(() => patch([{ op: "replace", value: { id: "other" } }]))).toBe("scim_mutability");
    expect(refusal(() => patch([{ op: "replace", path: "emails[type eq", value: "x" }]))).toBe(
      "scim_path_invalid",
    );
    expect(
      refusal(() =>
        patch([{ op: "replace", path: 'emails[type ne "work"].value', value: "x" }], { id: "u1" }),
      ),
    ).toBe("scim_no_target");
    expect(refusal(() => parsePatchRequest({ schemas: ["urn:other"], Operations: [] }))).toBe(
      "scim_syntax_invalid",
    );
  });
});
