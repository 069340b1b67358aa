// The status line: what just happened, for screen readers (a polite live region) and for everyone. It sits in
// the page's flow above the content (never over it) and clears itself, or on the next action.
import { describeError } from "./components/messages.js";

/** How long a status stays, in milliseconds. */
export const STATUS_MS = 8000;

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;

/**
 * Tells what just happened; an empty text clears the line (as every page change does).
 * @param {string} text
 * @param {number} [clearAfterMs]
 */
export function announce(text, clearAfterMs = STATUS_MS) {
  const status = document.getElementById("status");
  if (!status) return;
  clearTimeout(timer);
  status.textContent = text;
  if (text) {
    timer = setTimeout(() => {
      if (status.textContent === text) status.textContent = "";
    }, clearAfterMs);
  }
}

/** What the next page shows on its status line (a change that ends on another page). */
let next = "";

/**
 * Says `text` once the next page is shown (every page change clears the line first).
 * @param {string} text
 */
export function announceOnNextPage(text) {
  next = text;
}

/** The status line of a page just shown: what the change that led there said, else nothing. */
export function announcePageShown() {
  const text = next;
  next = "";
  announce(text);
}

/**
 * An error as a sentence for people (no raw code: forms show the code small beside it, see
 * components/messages.js).
 * @param {unknown} error
 * @returns {string}
 */
export function errorText(error) {
  return describeError(error).text;
}
