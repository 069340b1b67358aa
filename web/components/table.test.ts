// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { el } from "../dom.js";
import { dataTable, labelCells } from "./table.js";

describe("table", () => {
  it("labels every cell by its column, for the narrow-screen cards", () => {
    const table = dataTable({
      caption: "All users",
      headers: ["Email", "Status"],
      rows: [
        ["a@x.test", "Active"],
        [el("a", { href: "#/user/b" }, "b@x.test"), "Locked"],
      ],
      empty: "No users yet.",
    });
    expect(table.tagName).toBe("TABLE");
    expect(table.classList.contains("cards")).toBe(true);
    expect(table.querySelector("caption")?.textContent).toBe("All users");
    const labels = [...table.querySelectorAll("td")].map((td) => td.getAttribute("data-label"));
    expect(labels).toEqual(["Email", "Status", "Email", "Status"]);
    expect(table.querySelector("td a")?.textContent).toBe("b@x.test");
  });

  it("says so when a list is empty, instead of a bare header", () => {
    const empty = dataTable({ caption: "All users", headers: ["Email"], rows: [], empty: "No users yet." });
    expect(empty.tagName).toBe("P");
    expect(empty.textContent).toBe("No users yet.");
    expect(empty.className).toBe("empty");
  });

  it("labels tables built elsewhere, once", () => {
    const root = el(
      "div",
      {},
      el(
        "table",
        {},
        el("thead", {}, el("tr", {}, el("th", {}, "Cell"), el("th", {}, "Code"))),
        el("tbody", {}, el("tr", {}, el("td", {}, "A2"), el("td", {}, "x"))),
      ),
      el("table", {}, el("tbody", {}, el("tr", {}, el("td", {}, "no header")))),
    );
    expect(labelCells(root)).toBe(2);
    expect(labelCells(root)).toBe(0);
    expect([...root.querySelectorAll("td")].map((td) => td.getAttribute("data-label"))).toEqual([
      "Cell",
      "Code",
      null,
    ]);
  });
});
