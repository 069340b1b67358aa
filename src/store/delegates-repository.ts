import { sql, type Selectable } from "kysely";
import { insertRecords } from "./bulk/bulk-insert.js";
import { eachInChunks, forEachKeyChunk, inKeys } from "./bulk/chunked-keys.js";
import type { DelegatesTable, Executor } from "./schema.js";
import { containsPattern } from "./like-pattern.js";
import { offsetPage } from "./table-rows.js";

// Delegate mailbox access: user_id (the Primary Address) may open delegate_user_id's mailbox.

export type DelegateRow = Selectable<DelegatesTable>;

/** A pair as the doors show it: both users' primary addresses. */
export interface DelegatePairRow {
  readonly primary: string;
  readonly delegate: string;
  /** primary email key + "\n" + delegate email key: where the next keyset page starts. */
  readonly key: string;
}

/** Which pairs of an account a list shows. */
export interface DelegateFilter {
  readonly accountId: string;
  /** Only the pairs whose Primary Address is this user (the mailboxes they may open). */
  readonly userId?: string | undefined;
  /** Only the pairs whose delegate is this user (who may open their mailbox). */
  readonly delegateUserId?: string | undefined;
  /** Lower-cased text matched anywhere in either primary address. */
  readonly text?: string | undefined;
}

/** Every stored pair whose Primary Address user is among `userIds`, row by row to `each`. */
export async function eachDelegateOfUsers(
  db: Executor,
  userIds: readonly string[],
  each: (row: Pick<DelegateRow, "id" | "user_id" | "delegate_user_id">) => void,
): Promise<void> {
  await eachInChunks(
    userIds,
    (chunk) =>
      db
        .selectFrom("delegates")
        .select(["id", "user_id", "delegate_user_id"])
        .where(inKeys(db, "user_id", chunk))
        .execute(),
    each,
  );
}

export async function insertDelegates(db: Executor, rows: readonly DelegateRow[]): Promise<void> {
  await insertRecords(
    db,
    "delegates",
    ["id", "account_id", "user_id", "delegate_user_id", "created_at", "created_by"],
    rows,
  );
}

export async function deleteDelegatesByIds(db: Executor, ids: readonly string[]): Promise<void> {
  await forEachKeyChunk(ids, (chunk) =>
    db
      .deleteFrom("delegates")
      .where(inKeys(db, "id", chunk))
      .execute(),
  );
}

function filtered(db: Executor, filter: DelegateFilter) {
  let query = db
    .selectFrom("delegates")
    .innerJoin("users as p", "p.id", "delegates.user_id")
    .innerJoin("users as d", "d.id", "delegates.delegate_user_id")
    .where("delegates.account_id", "=", filter.accountId);
  if (filter.userId !== undefined) query = query.where("delegates.user_id", "=", filter.userId);
  if (filter.delegateUserId !== undefined) {
    query = query.where("delegates.delegate_user_id", "=", filter.delegateUserId);
  }
  const text = filter.text;
  if (text !== undefined && text !== "") {
    const pattern = containsPattern(text);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`${sql.ref("p.email_key")} like ${pattern} escape '\\'`,
        sql<boolean>`${sql.ref("d.email_key")} like ${pattern} escape '\\'`,
      ]),
    );
  }
  return query;
}

/** One page of pairs, ordered by primary then delegate address, and how many match in all. */
export async function listDelegatesPage(
  db: Executor,
  filter: DelegateFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: DelegatePairRow[]; total: number }> {
  const { rows, total } = await offsetPage(filtered(db, filter), page, (q) =>
    q
      .select(["p.email as primary", "d.email as delegate", "p.email_key as pk", "d.email_key as dk"])
      .orderBy("p.email_key")
      .orderBy("d.email_key"),
  );
  return {
    rows: rows.map((r) => ({ primary: r.primary, delegate: r.delegate, key: `${r.pk}\n${r.dk}` })),
    total,
  };
}

/**
 * Every matching pair in order, a keyset page at a time: the CLI's list and the export hold one page, not
 * the account's pairs.
 */
export async function eachDelegatePair(
  db: Executor,
  filter: DelegateFilter,
  each: (pair: DelegatePairRow) => void | Promise<void>,
  pageSize = 1000,
): Promise<void> {
  let after: { pk: string; dk: string } | undefined;
  for (;;) {
    let query = filtered(db, filter);
    if (after) {
      const { pk, dk } = after;
      query = query.where((eb) =>
        eb.or([eb("p.email_key", ">", pk), eb.and([eb("p.email_key", "=", pk), eb("d.email_key", ">", dk)])]),
      );
    }
    const rows = await query
      .select(["p.email as primary", "d.email as delegate", "p.email_key as pk", "d.email_key as dk"])
      .orderBy("p.email_key")
      .orderBy("d.email_key")
      .limit(pageSize)
      .execute();
    for (const r of rows) await each({ primary: r.primary, delegate: r.delegate, key: `${r.pk}\n${r.dk}` });
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return;
    after = { pk: last.pk, dk: last.dk };
  }
}
