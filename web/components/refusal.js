// A page the signed-in user's roles do not open: the title, and which permission is missing (the server
// refuses the page's calls anyway; this says why there is nothing to see, in the same words on every page).
import { el } from "../dom.js";
/** @typedef {import("../app.js").Page} Page */

/**
 * @param {Page} page
 * @param {string} title the page's title
 * @param {string} what what the roles do not include, e.g. "managing users"
 */
export function showRefusal(page, title, what) {
  page.show(title, el("p", { class: "card" }, `Your roles do not include ${what}.`));
}
