import { AppError } from "../errors/app-error.js";
import type { KeysetRequest, KeysetValue } from "../store/keyset-page.js";
import type { Page } from "./users/page.js";

// A keyset cursor as clients see it: opaque base64url of the sort it belongs to, the direction and the sort
// position of the row it continues from. Clients never build one; they hand back nextCursor/prevCursor.

export interface Keyset {
  /** The order the position belongs to (a cursor of another order is refused). */
  readonly sort: string;
  /** "next": the rows after the position; "prev": the rows before it. */
  readonly direction: "next" | "prev";
  readonly position: readonly KeysetValue[];
}

export function encodeCursor(keyset: Keyset): string {
  return Buffer.from(JSON.stringify([keyset.sort, keyset.direction, keyset.position])).toString("base64url");
}

const isPosition = (value: unknown): value is KeysetValue[] =>
  Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number");

/** The cursor's keyset; `cursor_invalid` when it is damaged or of another order. */
export function decodeCursor(cursor: string, sort: string): Keyset {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
  } catch {
    parsed = undefined;
  }
  if (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    parsed[0] === sort &&
    (parsed[1] === "next" || parsed[1] === "prev") &&
    isPosition(parsed[2])
  ) {
    return { sort, direction: parsed[1] as Keyset["direction"], position: parsed[2] };
  }
  throw new AppError(
    "cursor_invalid",
    "The list cursor is not valid here: start again from the first page.",
    {
      sort,
    },
  );
}

/** Lists count this far and no further (`totalCapped`): counting a million rows costs more than a page. */
export const LIST_COUNT_CAP = 100_000;

/** A keyset page as every list route answers it, beside the older page/pageSize fields where a route had them. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
  prevCursor: string | null;
  /** How many match, counted up to a cap; `totalCapped` says the true figure is larger. */
  total: number;
  totalCapped: boolean;
}

/**
 * Reads one keyset page through `fetch` (which takes after/before and a limit): one row more than the page
 * says whether another follows; a previous page with nothing before it is the first page, read afresh.
 */
export async function readKeysetPage<Row>(options: {
  list: string;
  cursor: string | undefined;
  limit: number;
  fetch: (page: KeysetRequest) => Promise<Row[]>;
  position: (row: Row) => KeysetValue[];
}): Promise<{ rows: Row[]; nextCursor: string | null; prevCursor: string | null }> {
  const { list, limit, fetch, position } = options;
  const keyset = options.cursor === undefined ? undefined : decodeCursor(options.cursor, list);
  let rows: Row[];
  let hasBefore = keyset !== undefined;
  let hasAfter = false;
  const fromStart = async () => {
    const read = await fetch({ limit: limit + 1 });
    hasBefore = false;
    hasAfter = read.length > limit;
    return read.slice(0, limit);
  };
  if (keyset?.direction === "prev") {
    const read = await fetch({ before: keyset.position, limit: limit + 1 });
    hasAfter = true;
    rows = read.length > limit ? read.slice(1) : await fromStart();
  } else if (keyset) {
    const read = await fetch({ after: keyset.position, limit: limit + 1 });
    hasAfter = read.length > limit;
    rows = read.slice(0, limit);
  } else {
    rows = await fromStart();
  }
  const first = rows[0];
  const last = rows.at(-1);
  return {
    rows,
    nextCursor:
      hasAfter && last ? encodeCursor({ sort: list, direction: "next", position: position(last) }) : null,
    prevCursor:
      hasBefore && first ? encodeCursor({ sort: list, direction: "prev", position: position(first) }) : null,
  };
}

/** A request to a list that pages either way: a keyset page (cursor, limit) or the older page/pageSize. */
export interface EitherPageRequest {
  page: number;
  pageSize: number;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/**
 * One page of a list that answers both ways: with a cursor or a limit a keyset page (of `limit`, else
 * pageSize, items), counted by `count` once it is read; otherwise the older page/pageSize, no cursors.
 */
export async function readEitherPage<Row>(
  request: EitherPageRequest,
  options: {
    list: string;
    fetch: (page: KeysetRequest) => Promise<Row[]>;
    position: (row: Row) => KeysetValue[];
    count: () => Promise<{ total: number; totalCapped: boolean }>;
    fetchOffset: (page: { offset: number; limit: number }) => Promise<{ rows: Row[]; total: number }>;
  },
): Promise<Page<Row> & KeysetPage<Row>> {
  if (request.cursor !== undefined || request.limit !== undefined) {
    const limit = request.limit ?? request.pageSize;
    const page = await readKeysetPage({ ...options, cursor: request.cursor, limit });
    const { total, totalCapped } = await options.count();
    const { rows: items, nextCursor, prevCursor } = page;
    return { items, nextCursor, prevCursor, total, totalCapped, page: 1, pageSize: limit };
  }
  const { rows, total } = await options.fetchOffset({
    offset: (request.page - 1) * request.pageSize,
    limit: request.pageSize,
  });
  return {
    items: rows,
    nextCursor: null,
    prevCursor: null,
    total,
    totalCapped: false,
    page: request.page,
    pageSize: request.pageSize,
  };
}
