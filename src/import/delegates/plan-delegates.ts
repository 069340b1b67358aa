import {
  checkDelegatePair,
  delegateChange,
  delegatePairKey,
  type DelegatePairViolation,
  type DelegateParty,
} from "../../directory/delegate-rules.js";
import { cellRef } from "../../sheet/cell-ref.js";
import { excerpt, issueAt } from "../import-issue.js";
import { IssueList } from "../issue-list.js";
import type { DelegateRow } from "./read-delegate-sheet.js";

/** A user as the delegate plan needs them: found by their primary address or an alias. */
export interface DelegateUser extends DelegateParty {
  /** The primary address, as the lists and the audit show it. */
  readonly email: string;
}

/** What the plan depends on, loaded by the service for the file's addresses; the plan stays pure. */
export interface DelegateFacts {
  /** The import's account: both users must belong to it. */
  readonly accountId: string;
  /** Users by address key (primary or alias). */
  readonly users: ReadonlyMap<string, DelegateUser>;
  /** The stored pairs among the file's Primary Address users: pair key -> the pair's id. */
  readonly existing: ReadonlyMap<string, string>;
}

/** The Spreadsheet Information of a delegate import: `mailroster delegates import --json`'s summary. */
export interface DelegateSummary {
  rows: number;
  add: number;
  remove: number;
  unchanged: number;
}

export const EMPTY_DELEGATE_SUMMARY: DelegateSummary = { rows: 0, add: 0, remove: 0, unchanged: 0 };

export interface DelegateChange {
  readonly userId: string;
  readonly delegateUserId: string;
  readonly primary: string;
  readonly delegate: string;
}

export interface DelegatePlan {
  readonly summary: DelegateSummary;
  readonly adds: readonly DelegateChange[];
  /** Each with the stored pair's id. */
  readonly removes: readonly (DelegateChange & { readonly id: string })[];
  readonly issues: IssueList;
}

const MESSAGES: Readonly<Record<DelegatePairViolation, (address: string) => string>> = {
  delegate_user_not_found: (address) =>
    `${excerpt(address)} is neither the address nor an alias of a user of this account: correct it, or create the user first.`,
  delegate_self: (address) => `${excerpt(address)} cannot be their own delegate.`,
};

/**
 * Every row against the rulebook and the directory: both addresses resolve to users of the account, a user
 * is not their own delegate, a pair appears once (the later row fails, at its delegate cell); then `add` of
 * a stored pair and `remove` of a missing one change nothing.
 */
export function planDelegates(
  rows: readonly DelegateRow[],
  facts: DelegateFacts,
  dataRows: number,
): DelegatePlan {
  const issues = new IssueList();
  const summary: DelegateSummary = { ...EMPTY_DELEGATE_SUMMARY, rows: dataRows };
  const adds: DelegateChange[] = [];
  const removes: (DelegateChange & { id: string })[] = [];
  // Each pair (by user ids, so an alias and a primary address meet) with the cell where it first stood.
  const firstSeen = new Map<string, string>();
  for (const row of rows) {
    const primary = facts.users.get(row.primary.key);
    const delegate = facts.users.get(row.delegate.key);
    const violations = checkDelegatePair(facts.accountId, primary, delegate);
    if (violations.primary) {
      issues.add(
        issueAt(
          violations.primary,
          row.row,
          row.primaryCol,
          MESSAGES[violations.primary](row.primary.address),
        ),
      );
    }
    if (violations.delegate) {
      issues.add(
        issueAt(
          violations.delegate,
          row.row,
          row.delegateCol,
          MESSAGES[violations.delegate](row.delegate.address),
        ),
      );
    }
    if (!primary || !delegate || violations.primary || violations.delegate) continue;
    const key = delegatePairKey(primary.userId, delegate.userId);
    const earlier = firstSeen.get(key);
    if (earlier !== undefined) {
      issues.add(
        issueAt(
          "delegate_duplicate",
          row.row,
          row.delegateCol,
          `${excerpt(primary.email)} and ${excerpt(delegate.email)} already appear in ${earlier}: keep one row per pair.`,
        ),
      );
      continue;
    }
    firstSeen.set(key, cellRef(row.row, row.primaryCol));
    const storedId = facts.existing.get(key);
    const change = {
      userId: primary.userId,
      delegateUserId: delegate.userId,
      primary: primary.email,
      delegate: delegate.email,
    };
    switch (delegateChange(row.action, storedId !== undefined)) {
      case "add":
        summary.add++;
        adds.push(change);
        break;
      case "remove":
        summary.remove++;
        removes.push({ ...change, id: storedId ?? "" });
        break;
      case "unchanged":
        summary.unchanged++;
        break;
    }
  }
  return { summary, adds, removes, issues };
}
