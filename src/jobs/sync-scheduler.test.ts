import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_SYNC_INTERVAL_MINUTES, startSyncScheduler } from "./sync-scheduler.js";

const MINUTE = 60_000;
const WEEK = MAX_SYNC_INTERVAL_MINUTES * MINUTE;

describe("startSyncScheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits a whole week for a 7-day interval: no run before it is due", async () => {
    const run = vi.fn(() => Promise.resolve());
    const scheduler = startSyncScheduler({ intervalMs: WEEK, run, onError: vi.fn() });
    // The bug (issue 12): a delay above 2^31-1 ms fired at once, and then every millisecond.
    await vi.advanceTimersByTimeAsync(1000);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(WEEK - MINUTE - 1000);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(WEEK - 1);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });

  it("never overlaps runs: the next is due an interval after the previous one ends, and an error goes on", async () => {
    let finish: () => void = () => undefined;
    const run = vi
      .fn<() => Promise<void>>()
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finish = resolve)))
      .mockImplementationOnce(() => Promise.reject(new Error("ldap down")))
      .mockImplementation(() => Promise.resolve());
    const onError = vi.fn();
    const scheduler = startSyncScheduler({ intervalMs: 10 * MINUTE, run, onError });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(run).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(run).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: "ldap down" }));
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(run).toHaveBeenCalledTimes(3);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(WEEK);
    expect(run).toHaveBeenCalledTimes(3);
  });

  it("refuses an interval past a week or below a millisecond", () => {
    const options = { run: () => Promise.resolve(), onError: vi.fn() };
    expect(() => startSyncScheduler({ ...options, intervalMs: WEEK + 1 })).toThrow(RangeError);
    expect(() => startSyncScheduler({ ...options, intervalMs: 0 })).toThrow(RangeError);
  });
});
