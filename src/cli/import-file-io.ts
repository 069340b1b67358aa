import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { MAX_NOTE_LENGTH } from "../directory/note.js";
import { isAppError } from "../errors/app-error.js";
import type { ServiceContext } from "../services/context.js";
import { findDefaultImporter } from "../services/imports/import-queries.js";
import { UsageError } from "./command-spec.js";
import { EXIT_OK, EXIT_REFUSED, type CliIo } from "./command.js";
import { printJson } from "./directory-session.js";
import { describeForCli } from "./error-hints.js";

// What `import` and `delegates import` share around their service call: the note check, reading the file,
// the administrator who imports, and one outcome printed (with --json, one object even when refused).

/** Refuses a --note the rulebook would refuse (empty, or past MAX_NOTE_LENGTH), before anything is read. */
export function checkNoteOption(note: string | undefined): void {
  if (note !== undefined && (note.trim() === "" || Array.from(note.trim()).length > MAX_NOTE_LENGTH)) {
    throw new UsageError(`--note must be 1 to ${MAX_NOTE_LENGTH} characters`);
  }
}

/** The context acting as `--as`, or as the account's first Super Administrator without it. */
export async function importerContext(
  context: ServiceContext,
  as: string | undefined,
  account: string | undefined,
): Promise<ServiceContext> {
  const email = as ?? (await findDefaultImporter(context.db, account));
  return { ...context, actor: { kind: "user", email } };
}

export interface ImportFileRun<O extends { readonly ok: boolean }> {
  readonly path: string;
  readonly json: boolean;
  readonly io: CliIo;
  /** The outcome of an import refused before it could be recorded. */
  readonly refused: (fileName: string, code: string, message: string) => O;
  /** The outcome as text, without --json. */
  readonly format: (outcome: O) => string;
  /** Runs the import on the file's bytes. */
  readonly run: (fileName: string, bytes: Uint8Array) => Promise<O>;
  /** Called when `run` throws, before the error is printed or passed on (e.g. to end a progress bar). */
  readonly onThrow?: () => void;
}

/** Prints the outcome; exit 0 for a clean preview or a save, 1 when the file cannot be saved. */
export function printImportOutcome<O extends { readonly ok: boolean }>(
  outcome: O,
  spec: Pick<ImportFileRun<O>, "json" | "io" | "format">,
): number {
  if (spec.json) printJson(outcome, spec.io.stdout);
  else spec.io.stdout(spec.format(outcome));
  return outcome.ok ? EXIT_OK : EXIT_REFUSED;
}

/**
 * Reads the file at `path` and runs the import on it, printing its outcome. An unreadable file is refused
 * with file_unreadable; with --json, an error before the import starts is printed as a refused outcome too.
 */
export async function runImportFile<O extends { readonly ok: boolean }>(
  spec: ImportFileRun<O>,
): Promise<number> {
  const fileName = basename(spec.path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(spec.path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return printImportOutcome(
      spec.refused(fileName, "file_unreadable", `${spec.path} could not be opened: ${reason}`),
      spec,
    );
  }
  try {
    return printImportOutcome(await spec.run(fileName, bytes), spec);
  } catch (error) {
    spec.onThrow?.();
    if (spec.json && isAppError(error) && error.code !== "usage") {
      return printImportOutcome(spec.refused(fileName, error.code, describeForCli(error)), spec);
    }
    throw error;
  }
}

/** An outcome's last line: saved, a clean preview, or a file that cannot be saved. */
export function importVerdict(
  outcome: { readonly ok: boolean; readonly saved: boolean; readonly importId: string | null },
  kind: "users" | "delegates" = "users",
): string {
  if (outcome.saved) return "Saved.";
  if (!outcome.ok) return "Cannot be saved: nothing was written.";
  // Only a user import's preview can be saved by its id (imports save); a delegate sheet is run again.
  return kind === "users" && outcome.importId !== null
    ? `Preview: no errors (nothing was written; save this preview with \`mailroster imports save ${outcome.importId}\`, or run again with --save).`
    : "Preview: no errors (nothing was written; run again with --save to save).";
}

/**
 * Ctrl+C while an import runs in this process cancels it: the first stops it at its next check point (it is
 * recorded failed with import_cancelled, nothing written); a second quits at once (the database rolls back what
 * was not committed, and the next `serve` marks the record interrupted).
 */
export function cancelOnInterrupt(io: CliIo): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    io.stderr("\nmailroster: cancelling the import (Ctrl+C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onInterrupt);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", onInterrupt);
    },
  };
}
