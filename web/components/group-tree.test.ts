// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { GroupNode } from "../api-types.js";
import { groupTree } from "./group-tree.js";

const group = (path: string): GroupNode => {
  const cut = path.lastIndexOf("/");
  return {
    path,
    name: path.slice(cut + 1),
    parent: cut < 0 ? null : path.slice(0, cut),
    members: 0,
    totalMembers: 0,
  };
};

/** The tree as text: each item's entry, its subgroups indented under it. */
const outline = (list: Element, depth = 0): string[] =>
  [...list.children].flatMap((item) => [
    `${"  ".repeat(depth)}${item.querySelector("span")?.textContent ?? ""}`,
    ...[...item.children].filter((c) => c.tagName === "UL").flatMap((sub) => outline(sub, depth + 1)),
  ]);

describe("groupTree", () => {
  it("nests each group under its parent, in the order given", () => {
    const groups = ["Staff", "Staff/London", "Staff/London/Sales", "Staff/Paris", "Board"].map(group);
    const tree = groupTree(groups, (g) => {
      const span = document.createElement("span");
      span.textContent = g.name;
      return span;
    });
    expect(tree.className).toBe("tree");
    expect(outline(tree)).toEqual(["Staff", "  London", "    Sales", "  Paris", "Board"]);
  });
});
