// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import type { ImportIssue } from "../api-types.js";
import { addressList, errorTable, fixFor, issueList } from "./issue-table.js";

const issue = (n: number, code = "yes_no_invalid"): ImportIssue => ({
  code,
  cell: `D${n + 1}`,
  row: n + 1,
  column: "D",
  message: `Row ${n + 1}: not yes or no`,
});

const rows = (table: HTMLElement) => [...table.querySelectorAll("tbody tr")];

describe("issue table", () => {
  it("says when the server listed only the first errors, and counts every one by code", () => {
    const errors = Array.from({ length: 1000 }, (_, n) => issue(n));
    const table = errorTable({
      errors,
      errorCount: 983_025,
      errorCounts: { alias_invalid: 196_605, yes_no_invalid: 786_420 },
    });
    expect(table.querySelector(".truncated")?.textContent).toBe(
      "The first 1,000 of 983,025 errors are listed. By code: yes_no_invalid: 786,420, alias_invalid: 196,605.",
    );
    expect(table.querySelector("caption")?.textContent).toBe("Errors (1,000 listed, of 983,025)");
    expect(rows(table)).toHaveLength(50);
    expect(table.querySelector("nav")?.textContent).toContain("Page 1 of 20");
  });

  it("has no truncation line when every error is listed; filters and pages", () => {
    const errors = [...Array.from({ length: 60 }, (_, n) => issue(n)), issue(99, "alias_invalid")];
    const table = errorTable({ errors, errorCount: 61, errorCounts: {} }, 50);
    document.body.append(table);
    expect(table.querySelector(".truncated")).toBeNull();
    const next = [...table.querySelectorAll("nav button")].find((b) => b.textContent === "Next");
    (next as HTMLButtonElement).click();
    expect(rows(table).map((r) => r.firstElementChild?.textContent)).toEqual([
      ...Array.from({ length: 10 }, (_, n) => `D${n + 51}`),
      "D100",
    ]);
    const filter = table.querySelector("input") as HTMLInputElement;
    filter.value = "ALIAS";
    filter.dispatchEvent(new Event("input"));
    expect(table.querySelector("caption")?.textContent).toBe("Errors (1 of 61)");
    expect(table.querySelector("nav")).toBeNull();
  });

  it("says No errors, and lists warnings with the first of their total", () => {
    expect(errorTable({ errors: [], errorCount: 0, errorCounts: {} }).textContent).toBe("No errors.");
    expect(issueList("Warnings", [])).toBeNull();
    const list = issueList("Warnings", [issue(1), { ...issue(2), cell: null }], 150);
    expect(list?.querySelector("h3")?.textContent).toBe("Warnings (the first 2 of 150)");
    // The sentence first, the code after it in small print (never a raw "[code]").
    expect([...(list?.querySelectorAll("li .message-text") ?? [])].map((li) => li.textContent)).toEqual([
      "D2: Row 2: not yes or no",
      "Row 3: not yes or no",
    ]);
    expect([...(list?.querySelectorAll("li small.code") ?? [])].map((li) => li.textContent)).toEqual([
      "yes_no_invalid",
      "yes_no_invalid",
    ]);
  });

  it("folds the addresses a warning names into a short expandable list, saying how many more there are", () => {
    const addresses = Array.from({ length: 50 }, (_, n) => `user${n}@example.com`);
    const warning: ImportIssue = {
      code: "group_members_removed",
      cell: null,
      row: null,
      column: null,
      message:
        "Overwrite removes 1,234 member(s) the file does not name from Staff: user0@example.com, … and 1229 more.",
      addresses,
      moreAddresses: 1184,
    };
    const list = issueList("Warnings", [warning, issue(1)]);
    const items = [...(list?.querySelectorAll("ul.warnings > li") ?? [])];
    expect(items).toHaveLength(2);
    const details = items[0]?.querySelector("details");
    expect(details?.open).toBe(false);
    expect(details?.querySelector("summary")?.textContent).toBe("Show the first 50 of 1,234 addresses");
    expect(details?.querySelectorAll("li")).toHaveLength(50);
    expect(details?.querySelector("p")?.textContent).toBe("… and 1,184 more.");
    expect(items[1]?.querySelector("details")).toBeNull();
    const one = addressList({ ...warning, addresses: ["a@example.com"], moreAddresses: 0 });
    expect(one?.querySelector("summary")?.textContent).toBe("Show the address");
    expect(one?.querySelector("p")).toBeNull();
    expect(addressList({ ...warning, addresses: [] })).toBeNull();
  });

  it("offers Add domain beside a domain error, and nothing beside the others", () => {
    const table = errorTable({
      errors: [issue(1, "domain_not_internal"), issue(2)],
      errorCount: 2,
      errorCounts: {},
    });
    const buttons = [...table.querySelectorAll("tbody button.fix")];
    expect(buttons.map((b) => b.textContent)).toEqual(["Add domain"]);
    expect(buttons[0]?.closest("tr")?.firstElementChild?.textContent).toBe("D2");
    expect(fixFor(issue(3))).toBeNull();
  });
});
