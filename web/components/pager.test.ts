// @vitest-environment happy-dom
import { describe, expect, it, vi } from "vitest";
import { pageCount, pager } from "./pager.js";

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
