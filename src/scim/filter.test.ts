import { describe, expect, it } from "vitest";
import { matchesFilter } from "./evaluate-filter.js";
import { MAX_FILTER_DEPTH, MAX_FILTER_LENGTH, parseFilter } from "./filter.js";
import { ENTERPRISE_USER_SCHEMA } from "./scim-urns.js";

const user = {
  id: "u1",
  externalId: "ABC-1",
  userName: "Jane.Doe@Example.com",
  displayName: "Jane Doe",
  active: true,
  emails: [
    { value: "jane.doe@example.com", type: "work", primary: true },
    { value: "jd@example.org", type: "other" },
  ],
  [ENTERPRISE_USER_SCHEMA]: { department: "Sales" },
  meta: { lastModified: "2024-05-01T10:00:00.000Z" },
};

const exact = (path: { attribute: string }) => ["id", "externalid"].includes(path.attribute.toLowerCase());
const matches = (text: string) => matchesFilter(parseFilter(text), user, exact);

function refusal(text: string): unknown {
  try {
    parseFilter(text);
  } catch (error) {
    return (error as { code?: unknown }).code;
  }
  return undefined;
}

describe("SCIM filters (RFC 7644 3.4.2.2)", () => {
  it("compares userName ignoring case, externalId and id exactly", () => {
    expect(matches('userName eq "jane.doe@example.com"')).toBe(true);
    expect(matches('USERNAME Eq "JANE.DOE@EXAMPLE.COM"')).toBe(true);
    expect(matches('externalId eq "ABC-1"')).toBe(true);
    expect(matches('externalId eq "abc-1"')).toBe(false);
    expect(matches('id eq "U1"')).toBe(false);
  });

  it("takes and, or, not, parentheses and the precedence not > and > or", () => {
    expect(matches('userName sw "jane" and displayName co "doe"')).toBe(true);
    expect(matches('userName sw "bob" or displayName ew "Doe"')).toBe(true);
    expect(matches('not (userName sw "jane")')).toBe(false);
    expect(matches('userName sw "x" and active eq true or displayName eq "jane doe"')).toBe(true);
    expect(matches('userName sw "x" and (active eq true or displayName eq "jane doe")')).toBe(false);
  });

  it("reaches multi-valued attributes, value filters, extensions, pr and dates", () => {
    expect(matches('emails.value eq "JD@example.org"')).toBe(true);
    expect(matches('emails eq "jd@example.org"')).toBe(true);
    expect(matches('emails[type eq "work" and value co "doe"]')).toBe(true);
    expect(matches('emails[type eq "home"]')).toBe(false);
    expect(matches(`${ENTERPRISE_USER_SCHEMA}:department eq "sales"`)).toBe(true);
    expect(matches("title pr")).toBe(false);
    expect(matches("displayName pr")).toBe(true);
    expect(matches('meta.lastModified gt "2024-01-01T00:00:00Z"')).toBe(true);
    expect(matches("active eq false")).toBe(false);
    expect(matches('title ne "x"')).toBe(true);
  });

  it("refuses malformed, too long and too deep filters with scim_filter_invalid", () => {
    for (const text of [
      "",
      "userName",
      'userName eq "open',
      'userName xx "a"',
      'userName eq "a" and',
      '(userName eq "a"',
      'emails[value eq "a"',
      'emails[type eq "a" and x[y eq "z"]]',
      "userName eq bare",
      "9name eq 1",
    ]) {
      expect(refusal(text), text).toBe("scim_filter_invalid");
    }
    expect(refusal(`userName eq "${"a".repeat(MAX_FILTER_LENGTH)}"`)).toBe("scim_filter_invalid");
    const deep = "(".repeat(MAX_FILTER_DEPTH + 2) + 'userName eq "a"' + ")".repeat(MAX_FILTER_DEPTH + 2);
    expect(refusal(deep)).toBe("scim_filter_invalid");
    expect(refusal(Array.from({ length: 60 }, () => 'userName eq "a"').join(" or "))).toBe(
      "scim_filter_invalid",
    );
  });
});
