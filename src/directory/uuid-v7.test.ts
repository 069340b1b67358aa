import { describe, expect, it } from "vitest";
import { uuidV7 } from "./uuid-v7.js";

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidV7", () => {
  it("has the version 7 and RFC variant bits and carries the time", () => {
    const id = uuidV7(Date.UTC(2026, 10, 25));
    expect(id).toMatch(SHAPE);
    expect(Number.parseInt(id.replaceAll("-", "").slice(0, 12), 16)).toBeGreaterThanOrEqual(
      Date.UTC(2026, 10, 25),
    );
  });

  it("sorts in the order the ids were made, also many within one millisecond", () => {
    const ms = Date.now() + 10_000;
    const ids = Array.from({ length: 20_000 }, () => uuidV7(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(SHAPE);
  });

  it("keeps order when the clock steps back", () => {
    const a = uuidV7(Date.now() + 60_000);
    const b = uuidV7(Date.now());
    expect(b > a).toBe(true);
  });
});
