import { describe, expect, it } from "vitest";
import { createProgressBar } from "./progress-bar.js";

describe("progress bar", () => {
  it("shows the stage, rows done of the total and the time left, then clears its line", () => {
    let out = "";
    let now = 0;
    const bar = createProgressBar(
      (text) => (out += text),
      () => now,
    );
    bar.update({ stage: "hashing", done: 0, total: 10 });
    now = 2000;
    bar.update({ stage: "hashing", done: 5, total: 10 });
    expect(out).toContain("5/10");
    expect(out).toContain("2s left");
    now = 2050;
    // Within 100 ms of the last redraw and not finished: skipped.
    bar.update({ stage: "hashing", done: 6, total: 10 });
    expect(out).not.toContain("6/10");
    bar.update({ stage: "hashing", done: 10, total: 10 });
    expect(out).toContain("10/10");
    bar.finish();
    expect(out.endsWith("\r\x1b[K")).toBe(true);
  });
});
