import { describe, expect, it } from "vitest";
import { AddressFingerprints } from "./address-fingerprints.js";

describe("AddressFingerprints", () => {
  it("answers the code of every address added, 0 for any other, at about 19 bytes an address", () => {
    const n = 200_000;
    const table = new AddressFingerprints(n);
    for (let i = 0; i < n; i++) table.add(`user${i}@example.com`, (i % 3) + 1);
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i += 7) expect(table.get(`user${i}@example.com`)).toBe((i % 3) + 1);
    for (let i = n; i < n + 20_000; i++) expect(table.get(`user${i}@example.com`)).toBe(0);
    expect(table.get("")).toBe(0);
    expect(table.bytes / n).toBeLessThan(40);
    table.add("user1@example.com", 3);
    expect([table.get("user1@example.com"), table.size]).toEqual([3, n]);
  });

  it("refuses a code out of range and more addresses than it was built for", () => {
    const table = new AddressFingerprints(4);
    expect(() => {
      table.add("a@b", 0);
    }).toThrow(RangeError);
    expect(() => {
      for (let i = 0; i < 100; i++) table.add(`u${i}@x`, 1);
    }).toThrow(RangeError);
  });
});
