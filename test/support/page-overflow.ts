import { expect } from "vitest";
import type { Page } from "playwright-core";

/** What overflows a page's width: the page's and the window's widths, and the widest elements past the edge. */
export interface Overflow {
  readonly scrollWidth: number;
  readonly innerWidth: number;
  /** Up to five elements whose right edge is past the window's, as "tag.class#id (right edge)". */
  readonly culprits: readonly string[];
}

// A string expression: it runs in the page, and Node's type library has no `document`.
const MEASURE = `(() => {
  const innerWidth = window.innerWidth;
  const culprits = [...document.querySelectorAll("body *")]
    .map((node) => ({ node, right: node.getBoundingClientRect().right }))
    .filter(({ right }) => right > innerWidth + 0.5)
    .sort((a, b) => b.right - a.right)
    .slice(0, 5)
    .map(({ node, right }) => node.tagName.toLowerCase() + (node.className ? "." + String(node.className).split(" ").join(".") : "") + (node.id ? "#" + node.id : "") + " (" + Math.round(right) + ")");
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth, culprits };
})()`;

/** Measures whether the page scrolls sideways, and what sticks out when it does. */
export function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate<Overflow>(MEASURE);
}

/**
 * Asserts the page has no horizontal scroll (document.documentElement.scrollWidth <= innerWidth); on failure
 * the message names the page and the elements that stick out. For any end-to-end test of the console.
 */
export async function expectNoHorizontalOverflow(page: Page, where: string): Promise<void> {
  const overflow = await measureOverflow(page);
  expect(
    overflow.scrollWidth <= overflow.innerWidth ? [] : [where, overflow],
    `${where}: ${overflow.scrollWidth}px wide in a ${overflow.innerWidth}px window`,
  ).toEqual([]);
}
