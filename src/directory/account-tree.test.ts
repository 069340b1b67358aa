import { describe, expect, it } from "vitest";
import {
  findRootAccount,
  isWithinAccount,
  listAncestry,
  listSubtree,
  lookUpParentsIn,
  type AccountLink,
} from "./account-tree.js";

// master -> eu (grouping) -> paris (mail-processing); master -> us; other stands alone.
const TREE: AccountLink[] = [
  { id: "master", parentId: null },
  { id: "eu", parentId: "master" },
  { id: "paris", parentId: "eu" },
  { id: "us", parentId: "master" },
  { id: "other", parentId: null },
];
const parentOf = lookUpParentsIn(TREE);

describe("the account tree", () => {
  it("counts an account within itself and every ancestor, never within a sibling, a child or a stranger", () => {
    expect(isWithinAccount(parentOf, "paris", "paris")).toBe(true);
    expect(isWithinAccount(parentOf, "paris", "eu")).toBe(true);
    expect(isWithinAccount(parentOf, "paris", "master")).toBe(true);
    expect(isWithinAccount(parentOf, "paris", "us")).toBe(false);
    expect(isWithinAccount(parentOf, "eu", "paris")).toBe(false);
    expect(isWithinAccount(parentOf, "paris", "other")).toBe(false);
    expect(isWithinAccount(parentOf, "other", "master")).toBe(false);
  });

  it("counts an unknown account within nothing, not even itself", () => {
    expect(isWithinAccount(parentOf, "ghost", "ghost")).toBe(false);
    expect(isWithinAccount(parentOf, "ghost", "master")).toBe(false);
  });

  it("walks to the top-most ancestor", () => {
    expect(listAncestry(parentOf, "paris")).toEqual({ chain: ["paris", "eu", "master"], complete: true });
    expect(findRootAccount(parentOf, "paris")).toBe("master");
    expect(findRootAccount(parentOf, "other")).toBe("other");
    expect(findRootAccount(parentOf, "ghost")).toBeUndefined();
  });

  it("ends a walk round a cycle, and one that would go deeper than the cap", () => {
    const cycle = lookUpParentsIn([
      { id: "a", parentId: "b" },
      { id: "b", parentId: "c" },
      { id: "c", parentId: "a" },
    ]);
    expect(listAncestry(cycle, "a")).toEqual({ chain: ["a", "b", "c"], complete: false });
    expect(isWithinAccount(cycle, "a", "c")).toBe(true);
    expect(isWithinAccount(cycle, "a", "elsewhere")).toBe(false);
    expect(findRootAccount(cycle, "a")).toBeUndefined();

    // A chain of 100: the walk stops after the cap and does not claim the far top.
    const deep = Array.from({ length: 100 }, (_, i) => ({
      id: `n${i}`,
      parentId: i === 0 ? null : `n${i - 1}`,
    }));
    const deepParentOf = lookUpParentsIn(deep);
    expect(isWithinAccount(deepParentOf, "n99", "n90", 32)).toBe(true);
    expect(isWithinAccount(deepParentOf, "n99", "n0", 32)).toBe(false);
    expect(findRootAccount(deepParentOf, "n99", 32)).toBeUndefined();
    expect(findRootAccount(deepParentOf, "n99", 200)).toBe("n0");
  });

  it("lists a subtree parents first, and stays bounded on a cycle", () => {
    expect(listSubtree(TREE, "master").map((a) => a.id)).toEqual(["master", "eu", "us", "paris"]);
    expect(listSubtree(TREE, "eu").map((a) => a.id)).toEqual(["eu", "paris"]);
    expect(listSubtree(TREE, "other").map((a) => a.id)).toEqual(["other"]);
    expect(listSubtree(TREE, "ghost")).toEqual([]);
    const cycle = [
      { id: "a", parentId: "c" },
      { id: "b", parentId: "a" },
      { id: "c", parentId: "b" },
    ];
    expect(listSubtree(cycle, "a").map((a) => a.id)).toEqual(["a", "b", "c"]);
    // The rows come back with their own fields.
    const rows = [{ id: "r", parentId: null, code: "R" }];
    expect(listSubtree(rows, "r")[0]?.code).toBe("R");
  });

  it("stops a subtree at the depth cap", () => {
    const deep = Array.from({ length: 10 }, (_, i) => ({
      id: `n${i}`,
      parentId: i === 0 ? null : `n${i - 1}`,
    }));
    expect(listSubtree(deep, "n0", 3).map((a) => a.id)).toEqual(["n0", "n1", "n2", "n3"]);
  });
});
