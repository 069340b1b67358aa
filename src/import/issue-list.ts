import type { IssueCode } from "../errors/codes.js";
import type { ImportIssue, IssueSeverity } from "./import-issue.js";

/**
 * A file of 65,535 rows with 15 bad cells each holds 983,025 errors: listing them all made a reply of
 * hundreds of MB (and `push(...all)` overflowed the stack). The list keeps the first issues of each
 * severity, in order, up to a cap, and counts every issue (kept or dropped) by code, so a reply can say
 * "983,025 errors, the first 1,000 listed, yes_no_invalid: 786,420, ...". Warnings have a cap of their own:
 * errors can never crowd them out.
 */
export const MAX_LISTED_ERRORS = 1000;
export const MAX_LISTED_WARNINGS = 100;

export interface IssueLimits {
  readonly errors: number;
  readonly warnings: number;
}

export const DEFAULT_ISSUE_LIMITS: IssueLimits = {
  errors: MAX_LISTED_ERRORS,
  warnings: MAX_LISTED_WARNINGS,
};

/** Every issue counted by code, per severity: kept or dropped. */
export interface IssueCounts {
  readonly error: Readonly<Partial<Record<IssueCode, number>>>;
  readonly warning: Readonly<Partial<Record<IssueCode, number>>>;
}

/**
 * The list as plain data (arrays and objects only), for crossing a structured clone from the sheet worker:
 * the kept issues in order (errors and warnings interleaved as found) and the counts of all of them.
 */
export interface IssueListData {
  readonly issues: readonly ImportIssue[];
  readonly counts: IssueCounts;
}

/** What a reply says about the issues beyond their kept lists. */
export interface IssueTally {
  /** Every error found, listed or not. */
  readonly errorCount: number;
  readonly warningCount: number;
  /** Every error found, by code. */
  readonly errorCounts: Readonly<Record<string, number>>;
  readonly warningCounts: Readonly<Record<string, number>>;
  /** True when some issues were counted but not listed. */
  readonly truncated: boolean;
}

export const EMPTY_TALLY: IssueTally = {
  errorCount: 0,
  warningCount: 0,
  errorCounts: {},
  warningCounts: {},
  truncated: false,
};

/** A bounded collector of import issues; `hasErrors` stays true however many were dropped. */
export class IssueList {
  private readonly kept: ImportIssue[] = [];
  private keptErrors = 0;
  private keptWarnings = 0;
  private readonly totals = { error: 0, warning: 0 };
  private readonly byCode = {
    error: new Map<IssueCode, number>(),
    warning: new Map<IssueCode, number>(),
  };

  constructor(private readonly limits: IssueLimits = DEFAULT_ISSUE_LIMITS) {}

  /** A list holding `data` (kept issues and counts), under this list's limits. */
  static from(data: IssueListData, limits: IssueLimits = DEFAULT_ISSUE_LIMITS): IssueList {
    const list = new IssueList(limits);
    list.merge(data);
    return list;
  }

  /** A list of `issues`, each counted (and kept while there is room). */
  static of(issues: Iterable<ImportIssue>, limits: IssueLimits = DEFAULT_ISSUE_LIMITS): IssueList {
    const list = new IssueList(limits);
    list.addAll(issues);
    return list;
  }

  add(issue: ImportIssue): void {
    this.count(issue.severity, issue.code, 1);
    this.keep(issue);
  }

  /** Adds each issue in turn: never `push(...issues)`, whose arguments live on the stack. */
  addAll(issues: Iterable<ImportIssue>): void {
    for (const issue of issues) this.add(issue);
  }

  /** Adds another list: its kept issues while there is room, and all of its counts. */
  merge(other: IssueList | IssueListData): void {
    const data = other instanceof IssueList ? other.toData() : other;
    for (const issue of data.issues) this.keep(issue);
    for (const severity of ["error", "warning"] as const) {
      for (const [code, n] of Object.entries(data.counts[severity]) as [IssueCode, number][]) {
        this.count(severity, code, n);
      }
    }
  }

  /** The kept issues, in the order they were added. */
  get issues(): readonly ImportIssue[] {
    return this.kept;
  }

  get errorCount(): number {
    return this.totals.error;
  }

  get warningCount(): number {
    return this.totals.warning;
  }

  /** A method, not a getter: TypeScript would narrow a getter as if nothing could change it. */
  hasErrors(): boolean {
    return this.totals.error > 0;
  }

  get truncated(): boolean {
    return this.keptErrors < this.errorCount || this.keptWarnings < this.warningCount;
  }

  /** The counts of this list's issues of one code. */
  countOf(code: IssueCode, severity: IssueSeverity = "error"): number {
    return this.byCode[severity].get(code) ?? 0;
  }

  tally(): IssueTally {
    return {
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      errorCounts: Object.fromEntries(this.byCode.error),
      warningCounts: Object.fromEntries(this.byCode.warning),
      truncated: this.truncated,
    };
  }

  /** Plain data for a structured clone (see `IssueList.from`). */
  toData(): IssueListData {
    return {
      issues: [...this.kept],
      counts: {
        error: Object.fromEntries(this.byCode.error),
        warning: Object.fromEntries(this.byCode.warning),
      },
    };
  }

  private keep(issue: ImportIssue): void {
    if (issue.severity === "error") {
      if (this.keptErrors >= this.limits.errors) return;
      this.keptErrors++;
    } else {
      if (this.keptWarnings >= this.limits.warnings) return;
      this.keptWarnings++;
    }
    this.kept.push(issue);
  }

  private count(severity: IssueSeverity, code: IssueCode, n: number): void {
    if (n <= 0) return;
    this.totals[severity] += n;
    const counts = this.byCode[severity];
    counts.set(code, (counts.get(code) ?? 0) + n);
  }
}
