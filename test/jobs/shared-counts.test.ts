import { describe, expect, it } from "vitest";
import { RateLimiter } from "../../src/http/rate-limit.js";
import { createScheduleClaim } from "../../src/services/jobs/schedule-claims.js";
import { createSharedRateLimitStore } from "../../src/services/jobs/shared-rate-limit.js";
import { DIALECTS, useTestDatabase } from "../support/databases.js";

// What several servers share through the database, on both dialects (PostgreSQL uses them in `serve`).
describe.each(DIALECTS)("shared counts and schedules on %s", (dialect) => {
  const database = useTestDatabase(dialect);

  it("counts a key's hits in a fixed window that two limiters share, and starts again after it", async () => {
    let now = Date.parse("2026-03-01T10:00:00.000Z");
    const clock = (): Date => new Date(now);
    const store = createSharedRateLimitStore(database().db);
    const serverA = new RateLimiter(3, 60_000, clock, store);
    const serverB = new RateLimiter(3, 60_000, clock, store);
    expect(await serverA.hitShared("ip:1")).toBe(0);
    expect(await serverB.hitShared("ip:1")).toBe(0);
    expect(await serverA.hitShared("ip:1")).toBe(0);
    now += 10_000;
    // The fourth hit, on B: 50 s left in the window.
    expect(await serverB.hitShared("ip:1")).toBe(50);
    expect(await serverA.hitShared("ip:2")).toBe(0);
    now += 50_000;
    expect(await serverA.hitShared("ip:1")).toBe(0);
  });

  it("lets one of several servers claim a due schedule, once per interval", async () => {
    let now = Date.parse("2026-03-01T10:00:00.000Z");
    const clock = (): Date => new Date(now);
    const a = createScheduleClaim(database().db, "sync_all", clock);
    const b = createScheduleClaim(database().db, "sync_all", clock);
    // The first ask sets the due time one interval ahead.
    expect(await a.claim(1000)).toBe(false);
    expect(await b.claim(1000)).toBe(false);
    now += 1000;
    const claims = await Promise.all([a.claim(1000), b.claim(1000), a.claim(1000)]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    now += 500;
    await a.ran(1000);
    now += 999;
    expect(await b.claim(1000)).toBe(false);
    now += 1;
    expect(await b.claim(1000)).toBe(true);
  });
});
