// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { poll } from "./poll.js";

describe("poll", () => {
  let node: HTMLElement;
  beforeEach(() => {
    vi.useFakeTimers();
    node = document.createElement("div");
    document.body.append(node);
  });
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it("waits longer each time up to its pace, and ends with the first answer", async () => {
    const times: number[] = [];
    let asked = 0;
    const start = Date.now();
    const polling = poll({
      node,
      firstMs: 150,
      maxMs: 1000,
      tick: () => {
        times.push(Date.now() - start);
        asked += 1;
        return Promise.resolve(asked === 5 ? "done" : undefined);
      },
    });
    await vi.advanceTimersByTimeAsync(10_000);
    await expect(polling.result).resolves.toBe("done");
    expect(times).toEqual([150, 450, 1050, 2050, 3050]);
  });

  it("stops when asked, and when its node leaves the page, without asking again", async () => {
    const tick = vi.fn(() => Promise.resolve(undefined));
    const stopped = poll({ node, tick });
    await vi.advanceTimersByTimeAsync(2500);
    stopped.stop();
    await expect(stopped.result).resolves.toBeUndefined();
    await vi.advanceTimersByTimeAsync(5000);
    expect(tick).toHaveBeenCalledTimes(2);

    const other = vi.fn(() => Promise.resolve(undefined));
    const left = poll({ node, tick: other });
    await vi.advanceTimersByTimeAsync(1000);
    node.remove();
    await vi.advanceTimersByTimeAsync(5000);
    await expect(left.result).resolves.toBeUndefined();
    expect(other).toHaveBeenCalledTimes(1);
  });

  it("ends with the tick's error", async () => {
    const polling = poll({ node, tick: () => Promise.reject(new Error("offline")) });
    const outcome = expect(polling.result).rejects.toThrow("offline");
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
  });
});
