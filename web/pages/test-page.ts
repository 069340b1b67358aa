import type { Me } from "../api-types.js";
import type { Page } from "../app.js";
import { fill } from "../dom.js";

/**
 * The console's page object as a unit test drives a page with it: what the page shows lands in the element
 * `main()` returns at that moment (tests make a fresh one before each case).
 */
export function testPage(main: () => HTMLElement, me: Me): Page {
  return {
    show: (title, ...content) => void fill(main(), title, ...content),
    me,
    go: () => Promise.resolve(),
    onSignedIn: () => {},
  };
}
