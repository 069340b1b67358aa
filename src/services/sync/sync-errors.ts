import type { SyncEntryError } from "../../directory/plan-sync.js";
import type { IssueCode } from "../../errors/codes.js";

/** One entry (or connector) Sync All skipped, and why. */
export type SyncError = SyncEntryError;

/** At most this many errors are listed per run; every error is counted by code. */
export const MAX_LISTED_SYNC_ERRORS = 1000;

/**
 * The errors of one Sync All, bounded: a directory of 65,535 entries in a domain that is not internal
 * would otherwise record 65,535 errors in the run, the reply and the audit. Keeps the first ones in order
 * and counts every error by code.
 */
export class SyncErrors {
  readonly listed: SyncError[] = [];
  readonly counts: Partial<Record<IssueCode, number>> = {};
  count = 0;

  add(error: SyncError): void {
    this.count++;
    this.counts[error.code] = (this.counts[error.code] ?? 0) + 1;
    if (this.listed.length < MAX_LISTED_SYNC_ERRORS) this.listed.push(error);
  }
}
