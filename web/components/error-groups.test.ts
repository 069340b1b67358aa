// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { ImportIssue } from "../api-types.js";
import { errorGroups } from "./issue-table.js";

const issue = (n: number, code: string, col = "D"): ImportIssue => ({
  code,
  cell: `${col}${n}`,
  row: n,
  column: col,
  message: `message ${code} ${n}`,
});

describe("errors grouped by kind", () => {
  it("counts every error of a kind (listed or not), names the first cells and offers the fix", () => {
    const errors = [
      ...Array.from({ length: 8 }, (_, n) => issue(n + 2, "yes_no_invalid")),
      issue(3, "domain_not_internal", "A"),
    ];
    const node = errorGroups({
      errors,
      errorCount: 65_535,
      errorCounts: { yes_no_invalid: 65_534, domain_not_internal: 1, password_weak: 3 },
    });
    const items = [...node.querySelectorAll("li")];
    // A code counted but not listed (the server lists the first errors only) is a group too.
    expect(items.map((li) => li.getAttribute("data-code"))).toEqual([
      "yes_no_invalid",
      "password_weak",
      "domain_not_internal",
    ]);
    expect(items[1]?.querySelector("strong")?.textContent).toBe("3 errors");
    expect(items[1]?.querySelector(".cells")).toBeNull();
    expect(items[0]?.querySelector("strong")?.textContent).toBe("65,534 errors");
    // The sentence first, the code small after it.
    expect(items[0]?.querySelector(".message-text")?.textContent).toBe("message yes_no_invalid 2");
    expect(items[0]?.querySelector("small.code")?.textContent).toBe("yes_no_invalid");
    expect(items[0]?.querySelector(".cells")?.textContent).toBe(" First at D2, D3, D4, D5, D6.");
    expect(items[2]?.querySelector("button")?.textContent).toBe("Add domain");
    expect(items[0]?.querySelector("button")).toBeNull();
  });
});
