import { describe, expect, it } from "vitest";
import { excerpt, issueAt, issueNowhere, type ImportIssue } from "./import-issue.js";
import { IssueList, MAX_LISTED_ERRORS, MAX_LISTED_WARNINGS } from "./issue-list.js";

const error = (row: number, code: "yes_no_invalid" | "alias_invalid" = "yes_no_invalid"): ImportIssue =>
  issueAt(code, row, 3, "m");
const warning = (): ImportIssue => issueNowhere("users_become_imported", "w", "warning");

describe("IssueList", () => {
  it("keeps the first errors in order and counts every one by code", () => {
    const list = new IssueList();
    for (let r = 0; r < 5000; r++) list.add(error(r, r % 5 === 0 ? "alias_invalid" : "yes_no_invalid"));
    expect(list.issues).toHaveLength(MAX_LISTED_ERRORS);
    expect(list.issues[0]?.cell).toBe("D1");
    expect(list.issues[MAX_LISTED_ERRORS - 1]?.cell).toBe(`D${MAX_LISTED_ERRORS}`);
    expect(list.tally()).toEqual({
      errorCount: 5000,
      warningCount: 0,
      errorCounts: { alias_invalid: 1000, yes_no_invalid: 4000 },
      warningCounts: {},
      truncated: true,
    });
    expect(list.hasErrors()).toBe(true);
  });

  it("never lets errors crowd out warnings, which have a cap of their own", () => {
    const list = new IssueList();
    for (let r = 0; r < 3000; r++) list.add(error(r));
    list.add(warning());
    expect(list.issues.filter((i) => i.severity === "warning")).toHaveLength(1);
    for (let i = 0; i < 500; i++) list.add(warning());
    expect(list.issues.filter((i) => i.severity === "warning")).toHaveLength(MAX_LISTED_WARNINGS);
    expect(list.warningCount).toBe(501);
  });

  it("is not truncated when everything fits, and has no errors with only warnings", () => {
    const list = IssueList.of([warning()]);
    expect(list.truncated).toBe(false);
    expect(list.hasErrors()).toBe(false);
    expect(list.tally()).toMatchObject({ errorCount: 0, warningCount: 1, truncated: false });
  });

  it("merges another list (or its plain data) without counting a kept issue twice", () => {
    const limits = { errors: 3, warnings: 1 };
    const a = new IssueList(limits);
    a.addAll([error(0), error(1)]);
    const b = new IssueList(limits);
    b.addAll([error(2, "alias_invalid"), error(3, "alias_invalid"), warning()]);
    // Through a structured clone, as the sheet worker's analysis arrives.
    a.merge(structuredClone(b.toData()));
    expect(a.issues.map((i) => i.cell)).toEqual(["D1", "D2", "D3", null]);
    expect(a.tally()).toEqual({
      errorCount: 4,
      warningCount: 1,
      errorCounts: { yes_no_invalid: 2, alias_invalid: 2 },
      warningCounts: { users_become_imported: 1 },
      truncated: true,
    });
    const restored = IssueList.from(a.toData(), limits);
    expect(restored.tally()).toEqual(a.tally());
    expect(restored.issues).toEqual(a.issues);
  });

  it("keeps hasErrors true when every error was dropped from the list", () => {
    const list = new IssueList({ errors: 0, warnings: 0 });
    list.add(error(0));
    expect(list.issues).toEqual([]);
    expect(list.hasErrors()).toBe(true);
  });
});

describe("excerpt", () => {
  it("keeps short text, and cuts long text to 60 characters and an ellipsis", () => {
    expect(excerpt("yes please")).toBe("yes please");
    expect(excerpt("x".repeat(60))).toBe("x".repeat(60));
    expect(excerpt("x".repeat(300))).toBe(`${"x".repeat(60)}…`);
  });

  it("counts characters, not UTF-16 units, and never cuts a surrogate pair", () => {
    const emoji = "😀".repeat(60);
    expect(excerpt(emoji)).toBe(emoji);
    const cut = excerpt(`a${"😀".repeat(100)}`);
    expect(Array.from(cut)).toHaveLength(61);
    expect(cut).toBe(`a${"😀".repeat(59)}…`);
    // No lone surrogate: every high surrogate is followed by its low one.
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(cut)).toBe(false);
  });
});
