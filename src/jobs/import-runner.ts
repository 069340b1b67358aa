import type { ServiceContext } from "../services/context.js";
import { cancelImport, importCancelRequested } from "../services/imports/cancel-import.js";
import { failStuckImport } from "../services/imports/import-recovery.js";
import type { ImportProgress, ImportRequest, SheetAnalyzer } from "../services/imports/import-request.js";
import type { ImportOutcome, ImportState } from "../services/imports/import-states.js";
import { previewImport, saveImport } from "../services/imports/run-import.js";
import { DEFAULT_MAX_XLS_BYTES } from "../sheet/xls/read-xls.js";
import { IN_PROCESS_LEASES, type ImportLeases, type ImportWatch } from "./import-leases.js";
import { createWorkerAnalyzer, type ParseBudget, type WorkerEntry } from "./sheet-worker.js";

export interface ImportRunnerOptions {
  /** The largest upload accepted (the reader's file_too_large limit too); 64 MiB by default. */
  readonly maxFileBytes?: number | undefined;
  /** The sheet worker's time and heap budget per file. */
  readonly budget?: ParseBudget | undefined;
  /** Where the sheet worker's script is (tests run it from the TypeScript sources). */
  readonly workerEntry?: WorkerEntry | undefined;
  /** Runs after every import, one at a time: `serve` sends the outbox (a failed import's mail) here. */
  readonly afterImport?: (() => Promise<unknown>) | undefined;
  /** Where errors of background work go (they have no request to answer). */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** Heartbeats, shared progress and lease watchdogs (PostgreSQL); nothing shared by default. */
  readonly leases?: ImportLeases | undefined;
}

export type ImportRequestBody = Omit<ImportRequest, "analyze" | "onRecorded" | "onProgress">;

interface Job {
  progress: ImportProgress;
  /** Aborted to cancel: the import stops at its next check point. */
  readonly cancel: AbortController;
  /** When the record was last read for a cancel requested through another server (or the CLI). */
  cancelCheckedAt: number;
}

/** How often a running import's record is read for a cancel requested elsewhere (at its progress reports). */
const CANCEL_POLL_MS = 2000;

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the server's imports: every file is parsed in the sheet worker, and a save runs in the background
 * of the server process while the caller polls. The registry of running saves lives here, in memory, for
 * their progress; the import record in the database stays the truth about each import's state. With shared
 * leases (several servers on PostgreSQL) the progress and a heartbeat also go to the record, and another
 * server fails an import whose server died; alone, `failInterruptedImports` settles it at the next start.
 */
export class ImportRunner {
  readonly maxFileBytes: number;
  private readonly analyze: SheetAnalyzer;
  private readonly jobs = new Map<string, Job>();
  private readonly pending = new Set<Promise<void>>();
  private afterChain: Promise<void> = Promise.resolve();
  private readonly leases: ImportLeases;

  constructor(private readonly options: ImportRunnerOptions = {}) {
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_XLS_BYTES;
    this.leases = options.leases ?? IN_PROCESS_LEASES;
    this.analyze = createWorkerAnalyzer({
      budget: options.budget,
      maxFileBytes: this.maxFileBytes,
      entry: options.workerEntry,
    });
  }

  /** Preview Changes, answered when done (a preview writes nothing but the import record). */
  preview(context: ServiceContext, request: ImportRequestBody): Promise<ImportOutcome> {
    return this.previewWith(previewImport, context, request);
  }

  /** Any kind's preview (the user import's, the delegate import's), answered when done. */
  async previewWith<T>(
    run: (context: ServiceContext, request: ImportRequest) => Promise<T>,
    context: ServiceContext,
    request: ImportRequestBody,
  ): Promise<T> {
    let id: string | undefined;
    let watch: ImportWatch | undefined;
    try {
      return await run(context, {
        ...request,
        analyze: this.analyze,
        onRecorded: (importId) => {
          id = importId;
          watch = this.leases.watch(context, importId);
        },
      });
    } catch (error) {
      if (id !== undefined) await this.settleStuck(context, id, error);
      throw error;
    } finally {
      watch?.end();
      this.runAfterImport();
    }
  }

  /**
   * Starts a save in the background and resolves as soon as the import is recorded, with its id. A save
   * refused before that (no permission, no such account) rejects as the service does.
   */
  startSave(
    context: ServiceContext,
    request: ImportRequestBody,
  ): Promise<{ importId: string; state: ImportState }> {
    return this.start(saveImport, context, request);
  }

  /**
   * Preview Changes in the background, for a file whose preview takes long (a re-import with passwords
   * verifies each one with argon2): resolves with the id as soon as the import is recorded; its progress and
   * then its Spreadsheet Information are read with GET /imports/{id}.
   */
  startPreview(
    context: ServiceContext,
    request: ImportRequestBody,
  ): Promise<{ importId: string; state: ImportState }> {
    return this.start(previewImport, context, request);
  }

  /** Starts any kind's preview or save in the background: resolves with its id once it is recorded. */
  start(
    run: (context: ServiceContext, request: ImportRequest) => Promise<unknown>,
    context: ServiceContext,
    request: ImportRequestBody,
  ): Promise<{ importId: string; state: ImportState }> {
    return new Promise((resolve, reject) => {
      let id: string | undefined;
      let watch: ImportWatch | undefined;
      const job: Job = {
        progress: { stage: "reading", done: 0, total: 0 },
        cancel: new AbortController(),
        cancelCheckedAt: Date.now(),
      };
      const work = run(context, {
        ...request,
        signal: job.cancel.signal,
        analyze: this.analyze,
        onRecorded: (importId) => {
          id = importId;
          this.jobs.set(importId, job);
          watch = this.leases.watch(context, importId);
          resolve({ importId, state: "uploaded" });
        },
        onProgress: (progress) => {
          job.progress = progress;
          watch?.progress(progress);
          if (id !== undefined) this.pollCancel(context, id, job);
        },
      })
        .then(
          () => undefined,
          async (error: unknown) => {
            // The service throws only Errors (AppError or a driver's); anything else is wrapped.
            if (id === undefined) reject(error instanceof Error ? error : new Error(reasonOf(error)));
            else await this.settleStuck(context, id, error);
          },
        )
        .finally(() => {
          watch?.end();
          if (id !== undefined) this.jobs.delete(id);
          this.pending.delete(work);
          this.runAfterImport();
        });
      this.pending.add(work);
    });
  }

  /**
   * Cancels an import: records the request (any server's import; refused with import_not_running when it has
   * ended) and stops it at once when this process runs it. Resolves when the request is recorded; the import's
   * record then ends failed with import_cancelled.
   */
  async cancel(context: ServiceContext, importId: string): Promise<{ importId: string }> {
    const answer = await cancelImport(context, importId);
    this.jobs.get(importId)?.cancel.abort();
    return answer;
  }

  /** A cancel asked through another door (another server, the CLI) reaches this process's import here. */
  private pollCancel(context: ServiceContext, importId: string, job: Job): void {
    const now = Date.now();
    if (now - job.cancelCheckedAt < CANCEL_POLL_MS || job.cancel.signal.aborted) return;
    job.cancelCheckedAt = now;
    importCancelRequested(context, importId).then(
      (requested) => {
        if (requested) job.cancel.abort();
      },
      (error: unknown) => {
        this.report(error);
      },
    );
  }

  /** How far a running import has come; undefined when this process runs none of that id. */
  progressOf(importId: string): ImportProgress | undefined {
    const job = this.jobs.get(importId);
    return job ? { ...job.progress } : undefined;
  }

  /**
   * How far an import has come, wherever it runs: this process's own from memory, another server's as that
   * server last wrote it to the record (PostgreSQL); undefined when none runs it.
   */
  async progressAnywhere(context: ServiceContext, importId: string): Promise<ImportProgress | undefined> {
    return this.progressOf(importId) ?? (await this.leases.progressOf(context, importId));
  }

  /** Waits for every running import and the last after-import run (a graceful stop). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    await this.afterChain;
    await this.leases.close();
  }

  private async settleStuck(context: ServiceContext, id: string, error: unknown): Promise<void> {
    this.report(error);
    try {
      await failStuckImport(context, id, reasonOf(error));
    } catch (again) {
      this.report(again);
    }
  }

  private runAfterImport(): void {
    const after = this.options.afterImport;
    if (!after) return;
    // One at a time: two outbox runs side by side could both send the same queued mail.
    this.afterChain = this.afterChain.then(after).then(
      () => undefined,
      (error: unknown) => {
        this.report(error);
      },
    );
  }

  private report(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else console.error("mailroster: import:", reasonOf(error));
  }
}
