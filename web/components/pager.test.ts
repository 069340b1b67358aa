// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { keysetPager, keysetPagerFor, pageCount, pager } from "./pager.js";

const buttons = (nav: HTMLElement) => [...nav.querySelectorAll("button")];

describe("pager", () => {
  it("counts pages, one at least", () => {
    expect([pageCount(0, 20), pageCount(20, 20), pageCount(21, 20)]).toEqual([1, 1, 2]);
  });

  it("is absent when the list fits one page, unless asked to show always", () => {
    expect(pager({ label: "Pages", page: 1, pages: 1, go: () => {} })).toBeNull();
    const nav = pager({
      label: "Pages",
      page: 1,
      pages: 1,
      go: () => {},
      always: true,
      suffix: " (3 users)",
    });
    expect(nav?.textContent).toBe("Previous Page 1 of 1 (3 users) Next");
    expect(buttons(nav as HTMLElement).map((b) => b.disabled)).toEqual([true, true]);
  });

  it("goes to the page before and after, disabled at the ends", () => {
    const go = vi.fn<(page: number) => void>();
    const middle = pager({ label: "Error pages", page: 2, pages: 3, go }) as HTMLElement;
    expect(middle.getAttribute("aria-label")).toBe("Error pages");
    const [previous, next] = buttons(middle);
    previous?.click();
    next?.click();
    expect(go.mock.calls).toEqual([[1], [3]]);
    const last = pager({ label: "Error pages", page: 3, pages: 3, go }) as HTMLElement;
    expect(buttons(last).map((b) => b.disabled)).toEqual([false, true]);
  });
});

describe("keysetPager", () => {
  const base = {
    label: "User pages",
    shown: 50,
    first: 1,
    total: 65_539,
    totalCapped: false,
    pageSize: 50,
    sizes: [25, 50, 100],
    noun: "users",
  };

  it("says which items it shows of how many, and offers first, previous and next", () => {
    const go = vi.fn();
    const nav = keysetPager({ ...base, nextCursor: "n1", prevCursor: null, go });
    expect(nav.querySelector(".pager-range")?.textContent).toBe(" 1-50 of 65,539 users ");
    expect(buttons(nav).map((b) => [b.textContent, b.disabled])).toEqual([
      ["First", true],
      ["Previous", true],
      ["Next", false],
    ]);
    buttons(nav)[2]?.click();
    expect(go).toHaveBeenLastCalledWith({ cursor: "n1", first: 51, pageSize: 50 });
  });

  it("goes back by cursor, to the first page, and changes the page size from the start", () => {
    const go = vi.fn();
    const nav = keysetPager({ ...base, first: 101, nextCursor: null, prevCursor: "p3", go });
    const [first, previous, next] = buttons(nav);
    expect(next?.disabled).toBe(true);
    previous?.click();
    expect(go).toHaveBeenLastCalledWith({ cursor: "p3", first: 51, pageSize: 50 });
    first?.click();
    expect(go).toHaveBeenLastCalledWith({ cursor: null, first: 1, pageSize: 50 });
    const select = nav.querySelector("select") as HTMLSelectElement;
    select.value = "100";
    select.dispatchEvent(new Event("change"));
    expect(go).toHaveBeenLastCalledWith({ cursor: null, first: 1, pageSize: 100 });
  });

  it("says 'more than' past the server's count cap, and 0 of none", () => {
    const capped = keysetPager({
      ...base,
      total: 100_000,
      totalCapped: true,
      nextCursor: "n",
      prevCursor: null,
      go: vi.fn(),
    });
    expect(capped.querySelector(".pager-range")?.textContent).toBe(" 1-50 of more than 100,000 users ");
    const empty = keysetPager({
      ...base,
      shown: 0,
      total: 0,
      nextCursor: null,
      prevCursor: null,
      go: vi.fn(),
    });
    expect(empty.querySelector(".pager-range")?.textContent).toBe(" 0 of 0 users ");
  });

  it("takes cursors and counts from a list reply, and starts a page with none before it at 1", () => {
    const go = vi.fn();
    const { label, shown, pageSize, noun } = base;
    const reply = { nextCursor: "n2", prevCursor: null, total: 120, totalCapped: false };
    const nav = keysetPagerFor(reply, { label, shown, pageSize, noun, first: 51, go });
    expect(nav.querySelector(".pager-range")?.textContent).toBe(" 1-50 of 120 users ");
    buttons(nav)[2]?.click();
    expect(go).toHaveBeenLastCalledWith({ cursor: "n2", first: 51, pageSize: 50 });
    const later = keysetPagerFor(
      { ...reply, prevCursor: "p1" },
      { label, shown, pageSize, noun, first: 51, go },
    );
    expect(later.querySelector(".pager-range")?.textContent).toBe(" 51-100 of 120 users ");
  });
});
