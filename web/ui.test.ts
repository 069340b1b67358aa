// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "./api.js";
import { announce, announceOnNextPage, announcePageShown, errorText, STATUS_MS } from "./ui.js";

describe("status line", () => {
  afterEach(() => vi.useRealTimers());

  it("clears itself after a while, and at once on the next action", () => {
    vi.useFakeTimers();
    document.body.innerHTML = '<div id="status" role="status"></div>';
    const status = document.getElementById("status") as HTMLElement;
    announce("Group created.");
    expect(status.textContent).toBe("Group created.");
    vi.advanceTimersByTime(STATUS_MS - 1);
    expect(status.textContent).toBe("Group created.");
    vi.advanceTimersByTime(1);
    expect(status.textContent).toBe("");
    announce("Domain added.");
    announce("");
    expect(status.textContent).toBe("");
    // A change that ends on another page: said there, once.
    announceOnNextPage("rory@example.com added.");
    announcePageShown();
    expect(status.textContent).toBe("rory@example.com added.");
    announcePageShown();
    expect(status.textContent).toBe("");
  });

  it("says an error as a sentence, never with a raw [code]", () => {
    const error = new ApiError(404, "group_not_found", "No group has that path: create it first.", {});
    expect(errorText(error)).toBe("No group has that path: create it first.");
  });
});
