// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { pagedHistory } from "./paged-history.js";

interface Entry {
  name: string;
  done: boolean;
}

function history(fetchPage: (page: number, pageSize: number) => Promise<{ items: Entry[]; total: number }>) {
  return pagedHistory<Entry>({
    id: "things-title",
    title: "Things",
    noun: "thing",
    empty: "No things yet.",
    pagerLabel: "Thing pages",
    pageSize: 2,
    headers: ["Name", "State"],
    fetchPage,
    cells: (entry) => [entry.name, entry.done ? "Done" : "Running"],
    running: (entry) => !entry.done,
  });
}

describe("pagedHistory", () => {
  afterEach(() => {
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it("says so when there is nothing, without a pager", async () => {
    const { section, load } = history(() => Promise.resolve({ items: [], total: 0 }));
    expect(await load()).toBe(false);
    expect(section.querySelector("h2")?.id).toBe("things-title");
    expect(section.getAttribute("aria-labelledby")).toBe("things-title");
    expect(section.querySelector("p")?.textContent).toBe("No things yet.");
    expect(section.querySelector("nav")).toBeNull();
  });

  it("draws a page as a table with a caption, and goes to the next page", async () => {
    const fetchPage = vi.fn((page: number) =>
      Promise.resolve({
        items:
          page === 1
            ? [
                { name: "a", done: true },
                { name: "b", done: true },
              ]
            : [{ name: "c", done: true }],
        total: 3,
      }),
    );
    const { section, load } = history(fetchPage);
    await load();
    expect(section.querySelector("caption")?.textContent).toBe("3 things, newest first");
    expect([...section.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["Name", "State"]);
    expect([...section.querySelectorAll("tbody tr")].map((tr) => tr.textContent)).toEqual(["aDone", "bDone"]);
    const next = [...section.querySelectorAll("nav button")].find((b) => b.textContent === "Next");
    (next as HTMLButtonElement).click();
    await vi.waitFor(() => {
      expect(section.querySelectorAll("tbody tr")).toHaveLength(1);
    });
    expect(fetchPage.mock.calls).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it("follows an entry at work until it is done", async () => {
    vi.useFakeTimers();
    let done = false;
    const fetchPage = vi.fn(() => Promise.resolve({ items: [{ name: "a", done }], total: 1 }));
    const { section, load } = history(fetchPage);
    document.body.append(section);
    expect(await load()).toBe(true);
    done = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetchPage).toHaveBeenCalledTimes(2);
    expect(section.querySelector("tbody")?.textContent).toBe("aDone");
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });
});
