import { describe, expect, it } from "vitest";
import { countsText, duration, formatNumber, plural, when } from "./format.js";

describe("format", () => {
  it("writes counts with thousands separators", () => {
    expect(formatNumber(65_535)).toBe("65,535");
    expect(formatNumber(0)).toBe("0");
    expect(plural(1, "user")).toBe("1 user");
    expect(plural(1_048_576, "user")).toBe("1,048,576 users");
    expect(countsText({ a_code: 2, b_code: 4_000 })).toBe("b_code: 4,000, a_code: 2");
  });

  it("writes times with their time zone named", () => {
    expect(when("2026-01-05T09:00:00.000Z", "UTC")).toBe("2026-01-05 09:00:00 UTC");
    expect(when("2026-01-05T09:00:00.000Z", "Europe/Berlin")).toBe("2026-01-05 10:00:00 GMT+1");
    expect(when("2026-07-05T23:30:00.000Z", "America/New_York")).toBe("2026-07-05 19:30:00 EDT");
    // The browser's own zone: still named.
    expect(when("2026-01-05T09:00:00.000Z")).toMatch(/^2026-01-0[45] \d\d:\d\d:\d\d \S+/);
    expect(when("not a time")).toBe("not a time");
  });

  it("writes durations people read at a glance", () => {
    expect(duration(850)).toBe("850 ms");
    expect(duration(12_400)).toBe("12.4 s");
    expect(duration(185_000)).toBe("3 min 05 s");
    expect(duration(7_620_000)).toBe("2 h 07 min");
  });
});
