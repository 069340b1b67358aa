import { describe, expect, it } from "vitest";
import { createProgressBar } from "./progress-bar.js";

function harness() {
  let out = "";
  let now = 0;
  const bar = createProgressBar(
    (text) => (out += text),
    () => now,
  );
  return {
    bar,
    out: () => out,
    at: (ms: number) => {
      now = ms;
    },
  };
}

describe("progress bar", () => {
  it("shows rows done of the total and the time left once the rate means something", () => {
    const h = harness();
    h.bar.update({ stage: "hashing", done: 0, total: 10 });
    h.at(50);
    // Early on a rate is noise: no "0s left" from the start.
    h.at(150);
    h.bar.update({ stage: "hashing", done: 1, total: 10 });
    expect(h.out()).toContain("1/10");
    expect(h.out()).not.toContain("left");
    h.at(2000);
    h.bar.update({ stage: "hashing", done: 5, total: 10 });
    expect(h.out()).toContain("5/10");
    expect(h.out()).toContain("2s left");
    h.at(2050);
    // Within 100 ms of the last redraw: skipped.
    h.bar.update({ stage: "hashing", done: 6, total: 10 });
    expect(h.out()).not.toContain("6/10");
  });

  it("draws a stage complete when the next begins, and the last one when the work ends", () => {
    const h = harness();
    h.bar.update({ stage: "reading", done: 0, total: 100 });
    h.at(1500);
    // The reader's last count (100) was never reported: the stage still ended.
    h.bar.update({ stage: "reading", done: 90, total: 100 });
    h.at(2000);
    h.bar.update({ stage: "saving", done: 0, total: 40 });
    expect(h.out()).toContain("100/100  done in 2s\x1b[K\n");
    h.at(5000);
    h.bar.update({ stage: "saving", done: 40, total: 40 });
    h.bar.finish(true);
    expect(h.out()).toContain("40/40  done in 3s\x1b[K\n");
  });

  it("clears its line when the work fails", () => {
    const h = harness();
    h.bar.update({ stage: "reading", done: 3, total: 10 });
    h.bar.finish(false);
    expect(h.out().endsWith("\r\x1b[K")).toBe(true);
    expect(h.out()).not.toContain("done in");
  });
});
