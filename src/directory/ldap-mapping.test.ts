import { describe, expect, it } from "vitest";
import { DEFAULT_MAPPINGS, mapEntry, parseConnectorType, type DirectoryEntry } from "./ldap-mapping.js";

function entry(dn: string, attributes: Record<string, string[]>): DirectoryEntry {
  return { dn, attributes: new Map(Object.entries(attributes).map(([k, v]) => [k.toLowerCase(), v])) };
}

describe("mapEntry", () => {
  it("maps OpenLDAP: entryUUID, mail, mailAlternateAddress and mailLocalAddress, displayName else cn", () => {
    const result = mapEntry(
      entry("uid=a,dc=x", {
        entryUUID: ["u-1"],
        mail: ["a@example.com"],
        mailAlternateAddress: ["alt@example.com"],
        mailLocalAddress: ["local@example.com"],
        cn: ["Ann"],
      }),
      DEFAULT_MAPPINGS.openldap,
    );
    expect(result).toEqual({
      ok: true,
      entry: {
        externalId: "u-1",
        dn: "uid=a,dc=x",
        email: "a@example.com",
        name: "Ann",
        aliases: ["alt@example.com", "local@example.com"],
      },
    });
  });

  it("maps Active Directory: objectGUID, and only smtp: entries of proxyAddresses become aliases", () => {
    const result = mapEntry(
      entry("cn=b,dc=x", {
        objectGUID: ["00112233445566778899aabbccddeeff"],
        displayName: ["Bea"],
        proxyAddresses: [
          "SMTP:bea@example.com",
          "smtp:b@example.com",
          "X500:/o=Org/cn=bea",
          "sip:bea@example.com",
        ],
      }),
      DEFAULT_MAPPINGS["active-directory"],
    );
    expect(result).toMatchObject({
      ok: true,
      entry: { externalId: "00112233445566778899aabbccddeeff", email: "bea@example.com", name: "Bea" },
    });
    expect(result.ok && result.entry.aliases).toEqual(["bea@example.com", "b@example.com"]);
  });

  it("reports an entry without an immutable id or an address as a problem, not an exception", () => {
    expect(mapEntry(entry("uid=c", { mail: ["c@example.com"] }), DEFAULT_MAPPINGS.openldap)).toEqual({
      ok: false,
      code: "sync_entry_no_id",
      dn: "uid=c",
    });
    expect(mapEntry(entry("uid=d", { entryUUID: ["u-4"] }), DEFAULT_MAPPINGS.openldap)).toMatchObject({
      ok: false,
      code: "sync_entry_no_address",
    });
  });

  it("knows the connector types", () => {
    expect(parseConnectorType("ldap")).toBe("openldap");
    expect(parseConnectorType("active-directory")).toBe("active-directory");
    expect(() => parseConnectorType("nis")).toThrow(
      expect.objectContaining({ code: "connector_type_invalid" }),
    );
  });
});
