import { describe, expect, it } from "vitest";
import { parseAttributeList, projectResource } from "./project-attributes.js";
import { ENTERPRISE_USER_SCHEMA } from "./scim-urns.js";

const resource = {
  schemas: ["s"],
  id: "g1",
  displayName: "Sales",
  members: [{ value: "a", display: "a@example.com" }],
  [ENTERPRISE_USER_SCHEMA]: { department: "X", division: "Y" },
  meta: { resourceType: "Group" },
};

describe("attributes and excludedAttributes (RFC 7644 3.9)", () => {
  it("returns only what is asked for, always with id and schemas", () => {
    expect(
      projectResource(resource, { attributes: parseAttributeList("displayName,members.value") }),
    ).toEqual({
      schemas: ["s"],
      id: "g1",
      displayName: "Sales",
      members: [{ value: "a" }],
    });
    expect(
      projectResource(resource, { attributes: parseAttributeList(`${ENTERPRISE_USER_SCHEMA}:department`) }),
    ).toEqual({ schemas: ["s"], id: "g1", [ENTERPRISE_USER_SCHEMA]: { department: "X" } });
  });

  it("leaves out what is excluded (Entra's excludedAttributes=members), never id", () => {
    const projected = projectResource(resource, {
      excludedAttributes: parseAttributeList("MEMBERS,id,meta"),
    });
    expect(projected.members).toBeUndefined();
    expect(projected.meta).toBeUndefined();
    expect(projected.id).toBe("g1");
    expect(resource.members).toHaveLength(1);
  });
});
