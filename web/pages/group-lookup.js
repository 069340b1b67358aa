// The Lookup dialog of the import form: the group tree with a search box, and New group for a group that
// does not exist yet (chosen as soon as it is made).
import { call } from "../api.js";
import { el, field, fill } from "../dom.js";
import { groupTree } from "../components/group-tree.js";
import { newGroupForm } from "../components/new-group-form.js";
/** @import { GroupNode } from "../api-types.js" */

/**
 * The paths to show for a search: each match and its ancestors, so the tree still reads as a tree.
 * @param {GroupNode[]} groups
 * @param {string} q lower-case text; empty shows every group
 * @returns {Set<string>}
 */
export function visiblePaths(groups, q) {
  const visible = new Set();
  for (const g of groups) {
    if (q && !g.path.toLowerCase().includes(q)) continue;
    for (let p = g.path; p; p = p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "") visible.add(p);
  }
  return visible;
}

/**
 * A dialog with the group tree and a search box; resolves with the chosen path (undefined on Cancel).
 * @param {HTMLElement} returnFocus
 * @returns {Promise<string | undefined>}
 */
export async function lookupGroup(returnFocus) {
  const groups = await call("GET /groups");
  const search = field("Search groups", { type: "search", autocomplete: "off" });
  const tree = el("div", { class: "group-tree" });
  const dialog = el("dialog", { "aria-labelledby": "lookup-title", class: "lookup" });
  return new Promise((resolve) => {
    /** @param {string | undefined} path */
    const close = (path) => {
      dialog.close();
      dialog.remove();
      returnFocus.focus();
      resolve(path);
    };
    const draw = () => {
      const q = search.input.value.trim().toLowerCase();
      const visible = visiblePaths(groups, q);
      fill(
        tree,
        visible.size
          ? groupTree(
              groups.filter((g) => visible.has(g.path)),
              (g) => el("button", { type: "button", class: "link", onclick: () => close(g.path) }, g.path),
            )
          : el("p", {}, q ? "No group matches." : "No groups yet."),
      );
    };
    search.input.addEventListener("input", draw);
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(undefined);
    });
    dialog.append(
      el("h2", { id: "lookup-title" }, "Choose a profile group"),
      search.wrapper,
      tree,
      el(
        "details",
        { class: "new-group-details" },
        el("summary", {}, "New group"),
        newGroupForm({ onCreated: (path) => close(path) }),
      ),
      el("button", { type: "button", onclick: () => close(undefined) }, "Cancel"),
    );
    draw();
    document.body.append(dialog);
    dialog.showModal();
    search.input.focus();
  });
}
