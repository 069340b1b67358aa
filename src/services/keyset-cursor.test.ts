import { describe, expect, it } from "vitest";
import type { KeysetRequest } from "../store/keyset-page.js";
import { readEitherPage, type EitherPageRequest } from "./keyset-cursor.js";

// Five rows in list order; the fetchers read them as the repositories do (after/before a position, a limit).
const ROWS = [1, 2, 3, 4, 5];
const calls: string[] = [];

function fetch(page: KeysetRequest): Promise<number[]> {
  calls.push("fetch");
  const after = page.after?.[0];
  const before = page.before?.[0];
  if (before !== undefined) {
    return Promise.resolve(ROWS.filter((n) => n < Number(before)).slice(-page.limit));
  }
  return Promise.resolve(ROWS.filter((n) => after === undefined || n > Number(after)).slice(0, page.limit));
}

function read(request: EitherPageRequest, totalCapped = false) {
  calls.length = 0;
  return readEitherPage(request, {
    list: "numbers",
    fetch,
    position: (n) => [n],
    count: () => {
      calls.push("count");
      return Promise.resolve({ total: ROWS.length, totalCapped });
    },
    fetchOffset: ({ offset, limit }) => {
      calls.push("offset");
      return Promise.resolve({ rows: ROWS.slice(offset, offset + limit), total: ROWS.length });
    },
  });
}

describe("readEitherPage", () => {
  it("answers the older page/pageSize without cursors when the request has neither cursor nor limit", async () => {
    expect(await read({ page: 2, pageSize: 2 })).toEqual({
      items: [3, 4],
      nextCursor: null,
      prevCursor: null,
      total: 5,
      totalCapped: false,
      page: 2,
      pageSize: 2,
    });
    expect(calls).toEqual(["offset"]);
  });

  it("answers a keyset page of `limit` (else pageSize) items, counted after the page is read", async () => {
    const first = await read({ page: 3, pageSize: 3, limit: 2 }, true);
    expect(first).toMatchObject({ items: [1, 2], prevCursor: null, total: 5, totalCapped: true });
    expect({ page: first.page, pageSize: first.pageSize }).toEqual({ page: 1, pageSize: 2 });
    expect(calls).toEqual(["fetch", "count"]);

    const next = await read({ page: 1, pageSize: 2, cursor: first.nextCursor ?? "" });
    expect(next).toMatchObject({ items: [3, 4], page: 1, pageSize: 2, totalCapped: false });
    const back = await read({ page: 1, pageSize: 2, cursor: next.prevCursor ?? "" });
    expect(back.items).toEqual([1, 2]);
  });

  it("refuses a cursor of another list", async () => {
    await expect(read({ page: 1, pageSize: 2, cursor: "bm90IGEgY3Vyc29y" })).rejects.toMatchObject({
      code: "cursor_invalid",
    });
  });
});
