// A label/value table (a description list), as the detail pages show facts.
import { el } from "../dom.js";

/**
 * @param {readonly (readonly [string, string | number])[]} pairs
 * @returns {HTMLDListElement}
 */
export function facts(pairs) {
  return el(
    "dl",
    { class: "facts" },
    ...pairs.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, String(value))]),
  );
}
