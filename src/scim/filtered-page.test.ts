import { describe, expect, it } from "vitest";
import { parseFilter } from "./filter.js";
import { filteredPage } from "./filtered-page.js";

const users = Array.from({ length: 9 }, (_, i) => ({ id: `u${i + 1}`, title: i % 2 === 0 ? "odd" : "even" }));
const caseExact = () => false;

describe("filteredPage", () => {
  it("counts every match across batches and keeps only the page startIndex/count (1-based)", () => {
    const found = filteredPage(parseFilter('title eq "ODD"'), caseExact, 2, 2);
    found.take(users.slice(0, 4));
    found.take(users.slice(4));
    expect(found.page()).toEqual({
      totalResults: 5,
      startIndex: 2,
      resources: [
        { id: "u3", title: "odd" },
        { id: "u5", title: "odd" },
      ],
    });
  });

  it("keeps a resource as `shown` makes it, after matching the whole resource", () => {
    const found = filteredPage(parseFilter('title eq "even"'), caseExact, 1, 1);
    found.take(users, (resource) => ({ id: resource["id"] ?? null }));
    expect(found.page()).toEqual({ totalResults: 4, startIndex: 1, resources: [{ id: "u2" }] });
  });

  it("answers an empty page past the last match, with the count", () => {
    const found = filteredPage(parseFilter('id sw "u"'), caseExact, 20, 5);
    found.take(users);
    expect(found.page()).toEqual({ totalResults: 9, startIndex: 20, resources: [] });
  });
});
