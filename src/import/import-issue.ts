import { cellRef, columnName } from "../sheet/cell-ref.js";
import type { IssueCode } from "../errors/codes.js";

export type IssueSeverity = "error" | "warning";

/**
 * One problem found in a file, shaped like a zod issue: row problems are data, never exceptions. `row` is
 * the 1-based row number an administrator sees, `column` the column letter; both null when the problem has
 * no place (no checkpoint anywhere, the group does not exist).
 */
export interface ImportIssue {
  readonly code: IssueCode;
  readonly cell: string | null;
  readonly row: number | null;
  readonly column: string | null;
  readonly message: string;
  readonly severity: IssueSeverity;
  /** For password_weak: every policy rule the password breaks (never the password). */
  readonly rules?: readonly string[];
  /** A warning about many users (users_become_imported, group_members_removed): the first 50 addresses. */
  readonly addresses?: readonly string[];
  /** How many more addresses the warning concerns than `addresses` lists. */
  readonly moreAddresses?: number;
}

/** An issue at a 0-based (row, col). */
export function issueAt(
  code: IssueCode,
  row: number,
  col: number,
  message: string,
  severity: IssueSeverity = "error",
): ImportIssue {
  return { code, cell: cellRef(row, col), row: row + 1, column: columnName(col), message, severity };
}

/** An issue naming a whole row (a row with data but no email). */
export function issueOnRow(code: IssueCode, row: number, message: string): ImportIssue {
  return { code, cell: null, row: row + 1, column: null, message, severity: "error" };
}

/** An issue with no place in the sheet. */
export function issueNowhere(
  code: IssueCode,
  message: string,
  severity: IssueSeverity = "error",
): ImportIssue {
  return { code, cell: null, row: null, column: null, message, severity };
}

/** The most characters of a cell or header a message quotes. */
export const EXCERPT_CHARS = 60;

/**
 * What a message quotes of a cell or a header: the text itself when short, else its first `max`
 * characters (code points, so a surrogate pair is never cut) and "…". A cell may hold 32,767 characters,
 * and a message is repeated in the reply, the record, the report and the failure mail.
 */
export function excerpt(text: string, max: number = EXCERPT_CHARS): string {
  // A string of at most `max` UTF-16 units has at most `max` characters.
  if (text.length <= max) return text;
  let chars = 0;
  let end = 0;
  for (const char of text) {
    if (chars === max) return `${text.slice(0, end)}…`;
    chars++;
    end += char.length;
  }
  return text;
}

/** The most addresses a warning lists: an overwrite may remove 65,535 members. */
export const MAX_NAMED_ADDRESSES = 50;

/** The most addresses a warning's message names; `addresses` holds the rest of the first 50. */
export const ADDRESSES_IN_MESSAGE = 5;

/**
 * A warning that names the users it concerns: `lead`, its first few addresses ("a@x, b@x and 12 more"),
 * then `tail`; the first 50 addresses as `addresses` and a count of the rest as `moreAddresses`.
 */
export function warningNaming(
  code: IssueCode,
  lead: string,
  addresses: readonly string[],
  tail = "",
): ImportIssue & { addresses: readonly string[]; moreAddresses: number } {
  const named = addresses.slice(0, ADDRESSES_IN_MESSAGE);
  const rest = addresses.length - named.length;
  const message = `${lead}: ${named.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}.${tail === "" ? "" : ` ${tail}`}`;
  return {
    ...issueNowhere(code, message, "warning"),
    addresses: addresses.slice(0, MAX_NAMED_ADDRESSES),
    moreAddresses: Math.max(0, addresses.length - MAX_NAMED_ADDRESSES),
  };
}
