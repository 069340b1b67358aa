// @vitest-environment happy-dom
import { describe, expect, it } from "vitest";
import { searchForm } from "./search-form.js";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("searchForm", () => {
  it("puts the filters between the box and Search, and searches with the box's text", async () => {
    const filter = document.createElement("label");
    const asked: string[] = [];
    const { form, search } = searchForm({
      label: "Search users",
      placeholder: "address, alias or name",
      value: "jane",
      filters: [filter],
      onSearch: (q) => {
        asked.push(q);
        return Promise.resolve();
      },
    });
    document.body.replaceChildren(form);
    expect(form.getAttribute("role")).toBe("search");
    expect([...form.children]).toEqual([search.wrapper, filter, form.querySelector("button")]);
    expect([search.input.type, search.input.name, search.input.placeholder]).toEqual([
      "search",
      "q",
      "address, alias or name",
    ]);
    form.requestSubmit();
    search.input.value = "bob";
    form.requestSubmit();
    await settle();
    expect(asked).toEqual(["jane", "bob"]);
  });

  it("tells a failed search on the status line", async () => {
    const status = document.createElement("p");
    status.id = "status";
    const { form } = searchForm({
      label: "Search",
      placeholder: "",
      onSearch: () => Promise.reject(new Error("The server is not answering.")),
    });
    document.body.replaceChildren(status, form);
    form.requestSubmit();
    await settle();
    expect(status.textContent).toBe("The server is not answering.");
  });
});
