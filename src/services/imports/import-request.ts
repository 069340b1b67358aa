import type { SheetAnalysis } from "../../import/analyze-sheet.js";
import type { DelegateSheetAnalysis } from "../../import/delegates/read-delegate-sheet.js";
import type { ImportIssue } from "../../import/import-issue.js";
import type { ImportSummary } from "../../import/plan-import.js";
import type { AccountRow } from "../../store/accounts-repository.js";
import type { Authorized, ServiceContext } from "../context.js";
import type { GroupOverride, ImportKind } from "./import-states.js";

export interface ImportRequest {
  /** The uploaded file's name, shown in every report. */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly account?: string | undefined;
  /** Import Into Profile Group: an existing group; undefined with uploadOnly. */
  readonly group?: string | undefined;
  readonly override?: GroupOverride | undefined;
  readonly note?: string | undefined;
  /** Called as long work advances (rows read, passwords hashed); for a progress bar. */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Reads the file instead of the in-process reader: the server parses untrusted uploads in a worker. */
  readonly analyze?: SheetAnalyzer | undefined;
  /**
   * Save the previewed upload: what its clean preview planned. A save whose plan differs (the directory changed
   * since) fails with import_changed_since_preview and writes nothing.
   */
  readonly expectedSummary?: ImportSummary | undefined;
  /** The preview this save commits, kept in the save's options. */
  readonly previewId?: string | undefined;
  /**
   * Aborted to cancel the import: it stops at its next check point (between stages, between hashing chunks,
   * between a save's slices, inside its transaction) and ends failed with import_cancelled, nothing written.
   */
  readonly signal?: AbortSignal | undefined;
  /** Called once the import record exists (state uploaded): a background save answers with its id. */
  readonly onRecorded?: ((importId: string) => void) | undefined;
}

/** What the file of each kind of import says, before the directory is consulted. */
export interface AnalysisOfKind {
  readonly users: SheetAnalysis;
  readonly delegates: DelegateSheetAnalysis;
}

/** bytes -> cells -> parsed rows of the kind asked (users by default), or the file's refusal (file_*). */
export type SheetAnalyzer = <K extends ImportKind = "users">(
  bytes: Uint8Array,
  fileName: string,
  onProgress: ((progress: ImportProgress) => void) | undefined,
  kind?: K,
) => Promise<AnalysisOfKind[K] | { fileError: ImportIssue }>;

export interface ImportProgress {
  /** Reading the file, checking its rows against the directory, hashing passwords, saving. */
  readonly stage: "reading" | "checking" | "hashing" | "saving";
  readonly done: number;
  readonly total: number;
}

/** One import under way: its record's id, the account it imports into and who imports. */
export interface ImportRun {
  readonly context: ServiceContext;
  readonly request: ImportRequest;
  readonly id: string;
  readonly kind: ImportKind;
  readonly account: AccountRow;
  readonly actor: Authorized;
  readonly save: boolean;
  /** The importer's note, checked (null without one). */
  readonly note: string | null;
}
