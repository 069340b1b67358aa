// The group tree as nested lists (a tree a screen reader reads as nested lists), each group under its parent.
import { el } from "../dom.js";
/** @import { GroupNode } from "../api-types.js" */
/** @import { Child } from "../dom.js" */

/**
 * The groups as a tree of nested lists from the top; `entry` is what a group's item shows before its subgroups.
 * A group whose parent is not among `groups` is left out, so a filtered list keeps each match's ancestors.
 * @param {GroupNode[]} groups
 * @param {(group: GroupNode) => Child} entry
 * @returns {HTMLUListElement}
 */
export function groupTree(groups, entry) {
  /** @type {Map<string, GroupNode[]>} */
  const children = new Map();
  for (const group of groups) {
    const key = group.parent ?? "";
    const siblings = children.get(key);
    if (siblings) siblings.push(group);
    else children.set(key, [group]);
  }
  /**
   * @param {string} parent
   * @returns {HTMLUListElement}
   */
  const build = (parent) =>
    el(
      "ul",
      { class: "tree" },
      ...(children.get(parent) ?? []).map((group) =>
        el("li", {}, entry(group), children.has(group.path) ? build(group.path) : null),
      ),
    );
  return build("");
}
