// A list's search form, the one way: the search box, any filters after it, then Search.
import { el, field } from "../dom.js";
import { announce, errorText } from "../ui.js";

/**
 * @typedef {object} SearchFormOptions
 * @property {string} label the search box's label
 * @property {string} placeholder what may be searched for
 * @property {string} [value] the search box's text to start with
 * @property {HTMLElement[]} [filters] more fields, between the search box and the button
 * @property {(q: string) => Promise<void>} onSearch runs on submit with the box's text; an error it throws
 *   goes to the status line (the list stays as it was)
 */

/**
 * @param {SearchFormOptions} options
 * @returns {{ form: HTMLFormElement, search: { wrapper: HTMLDivElement, input: HTMLInputElement } }}
 */
export function searchForm({ label, placeholder, value, filters = [], onSearch }) {
  const search = field(label, { type: "search", name: "q", value, placeholder });
  const form = el(
    "form",
    { class: "search", role: "search" },
    search.wrapper,
    ...filters,
    el("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSearch(search.input.value).catch((error) => announce(errorText(error)));
  });
  return { form, search };
}
