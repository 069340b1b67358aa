// A label/value table (a description list), as the detail pages show facts.
import { el } from "../dom.js";
import { formatNumber } from "./format.js";

/**
 * @param {readonly (readonly [string, string | number])[]} pairs
 * @returns {HTMLDListElement}
 */
export function facts(pairs) {
  return el(
    "dl",
    { class: "facts" },
    // Counts with thousands separators: 65,534 reads at a glance, 65534 does not.
    ...pairs.flatMap(([term, value]) => [
      el("dt", {}, term),
      el("dd", {}, typeof value === "number" ? formatNumber(value) : String(value)),
    ]),
  );
}
