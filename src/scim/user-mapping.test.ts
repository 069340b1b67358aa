import { describe, expect, it } from "vitest";
import { seededRandom } from "../../test/support/seeded-random.js";
import { ATTRIBUTES_SCHEMA, ENTERPRISE_USER_SCHEMA, USER_SCHEMA } from "./scim-urns.js";
import { fromScimUser, planUserChange, toScimUser, type DirectoryUser } from "./user-mapping.js";

const META = {
  id: "u1",
  externalId: "ext-1",
  created: "c",
  lastModified: "m",
  baseUrl: "https://h/scim/v2",
  groups: [],
};

const ATTRIBUTE_NAMES = [
  "department",
  "employeeNumber",
  "costCenter",
  "organization",
  "division",
  "manager",
  "title",
  "givenName",
  "familyName",
  "locale",
  "phoneNumbers.work",
  "phoneNumbers.mobile",
  "addresses.work.locality",
  "addresses.home.postalCode",
  "Office",
  "Badge Number",
  "floor",
];

function generateUser(next: () => number, n: number): DirectoryUser {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const word = () =>
    pick(["ana", "bo", "Cé", "dü", "eva", "Frank", "gao", "hà"]) + String(Math.floor(next() * 1000));
  const aliases = Array.from({ length: Math.floor(next() * 11) }, (_, i) => `${word()}.${i}@example.org`);
  const attributes: Record<string, string> = {};
  for (const name of ATTRIBUTE_NAMES) if (next() < 0.4) attributes[name] = `${word()} ${word()}`;
  return {
    email: `${word()}.${n}@example.com`,
    name: `${word()} ${word()}`,
    aliases,
    locked: next() < 0.3,
    attributes,
  };
}

describe("users through SCIM and back", () => {
  it("round-trips 500 generated users: directory -> SCIM -> directory changes nothing", () => {
    const next = seededRandom(16);
    for (let n = 0; n < 500; n++) {
      const user = generateUser(next, n);
      const resource = toScimUser(user, META);
      const back = fromScimUser(JSON.parse(JSON.stringify(resource)) as Record<string, unknown>);
      expect(back.email).toBe(user.email);
      expect(back.name).toBe(user.name);
      expect(back.aliases).toEqual(user.aliases);
      expect(back.active).toBe(!user.locked);
      expect(back.externalId).toBe("ext-1");
      expect(Object.fromEntries(back.attributes)).toEqual(user.attributes);
      expect(planUserChange(user, back)).toEqual({});
      // And SCIM -> directory -> SCIM gives the same resource.
      const again = toScimUser(
        {
          email: back.email,
          name: back.name ?? "",
          aliases: back.aliases,
          locked: !back.active,
          attributes: Object.fromEntries(back.attributes),
        },
        META,
      );
      expect(again).toEqual(resource);
    }
  });

  it("maps Entra's and Okta's user: userName, work email, names, enterprise extension, active strings", () => {
    const input = fromScimUser({
      schemas: [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
      externalId: "0a21f0f2",
      userName: "Test_User_1@example.com",
      active: "False",
      emails: [
        { primary: true, type: "work", value: "Test_User_1@example.com" },
        { type: "other", value: "t1@example.org" },
      ],
      name: { formatted: "Test User", familyName: "User", givenName: "Test" },
      title: "Tester",
      phoneNumbers: [{ type: "Mobile", value: "+41 1" }],
      [ENTERPRISE_USER_SCHEMA]: { department: "QA", manager: { value: "boss" }, employeeNumber: "7" },
      "urn:okta:app:custom:2.0:User": { shoeSize: "44" },
    });
    expect(input).toMatchObject({
      email: "Test_User_1@example.com",
      name: "Test User",
      aliases: ["t1@example.org"],
      active: false,
      externalId: "0a21f0f2",
      givesOtherAttributes: false,
    });
    expect(Object.fromEntries(input.attributes)).toEqual({
      givenName: "Test",
      familyName: "User",
      title: "Tester",
      "phoneNumbers.mobile": "+41 1",
      department: "QA",
      manager: "boss",
      employeeNumber: "7",
      shoeSize: "44",
    });
  });

  it("plans only what differs; a PUT without our extension keeps the attributes SCIM has no place for", () => {
    const current: DirectoryUser = {
      email: "jane@example.com",
      name: "Jane",
      aliases: ["j@example.com"],
      locked: false,
      attributes: { department: "Sales", Office: "B2", title: "Boss" },
    };
    const put = fromScimUser({
      userName: "JANE@example.com",
      displayName: "Jane Doe",
      active: false,
      emails: [{ value: "J@example.com" }],
      [ENTERPRISE_USER_SCHEMA]: { department: "Sales" },
    });
    expect(planUserChange(current, put)).toEqual({
      name: "Jane Doe",
      locked: true,
      attributes: { title: "" },
    });
    const withExtension = fromScimUser({
      userName: "jane@example.com",
      [ATTRIBUTES_SCHEMA]: { attributes: [{ name: "Floor", value: "3" }] },
    });
    expect(planUserChange(current, withExtension)).toEqual({
      aliases: [],
      attributes: { department: "", Office: "", title: "", Floor: "3" },
    });
    expect(
      planUserChange(current, fromScimUser({ userName: "new@example.com", displayName: "Jane" })),
    ).toMatchObject({
      email: "new@example.com",
    });
  });

  it("refuses a user without an address and a non-boolean active", () => {
    expect(() => fromScimUser({ userName: "jdoe" })).toThrow(
      expect.objectContaining({ code: "scim_value_invalid" }),
    );
    expect(() => fromScimUser({ userName: "a@example.com", active: "maybe" })).toThrow(
      expect.objectContaining({ code: "scim_value_invalid" }),
    );
    expect(
      fromScimUser({ userName: "jdoe", emails: [{ value: "jdoe@example.com", type: "work" }] }).email,
    ).toBe("jdoe@example.com");
  });
});
