import type { SheetAnalysis } from "../../import/analyze-sheet.js";
import type { ImportIssue } from "../../import/import-issue.js";
import type { AccountRow } from "../../store/accounts-repository.js";
import type { Authorized, ServiceContext } from "../context.js";
import type { GroupOverride } from "./import-states.js";

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
  /** Called once the import record exists (state uploaded): a background save answers with its id. */
  readonly onRecorded?: ((importId: string) => void) | undefined;
}

/** bytes -> cells -> parsed rows, or the file's refusal (an issue with a file_* code). */
export type SheetAnalyzer = (
  bytes: Uint8Array,
  fileName: string,
  onProgress: ((progress: ImportProgress) => void) | undefined,
) => Promise<SheetAnalysis | { fileError: ImportIssue }>;

export interface ImportProgress {
  readonly stage: "reading" | "hashing" | "saving";
  readonly done: number;
  readonly total: number;
}

/** One import under way: its record's id, the account it imports into and who imports. */
export interface ImportRun {
  readonly context: ServiceContext;
  readonly request: ImportRequest;
  readonly id: string;
  readonly account: AccountRow;
  readonly actor: Authorized;
  readonly save: boolean;
}
