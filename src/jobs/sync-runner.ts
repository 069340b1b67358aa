import type { DirectoryReader } from "../adapters/ldap-directory.js";
import type { SecretBox } from "../adapters/secret-box.js";
import { AppError } from "../errors/app-error.js";
import type { ServiceContext } from "../services/context.js";
import {
  listAccountsToSync,
  prepareSync,
  syncAccount,
  type SyncAccount,
  type SyncProgress,
  type SyncResult,
} from "../services/sync/run-sync.js";
import type { SyncDependencies } from "../services/sync/read-connectors.js";

export interface SyncRunnerOptions {
  /** Opens the connectors' bind passwords; without it (no MAILROSTER_SECRET_KEY) Sync All is refused. */
  readonly secrets?: SecretBox | undefined;
  /** The LDAP reader (tests may pass another). */
  readonly readDirectory?: DirectoryReader | undefined;
  /** Told of every run that ended, with its account and result (`serve` prints a line). */
  readonly onFinished?: ((account: SyncAccount, runId: string, result: SyncResult) => void) | undefined;
  /** Where errors of background runs go (they have no request to answer). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

function secretKeyMissing(): AppError {
  return new AppError(
    "secret_key_missing",
    "The server was started without MAILROSTER_SECRET_KEY: connector passwords cannot be opened or stored. Set it and restart the server.",
    {},
  );
}

interface Job {
  readonly account: SyncAccount;
  /** Resolves with the run's id once its record is written. */
  readonly recorded: Promise<string>;
  /** Settles when the run has ended (never rejects: errors go to onError). */
  ended: Promise<void>;
  runId: string | undefined;
  progress: SyncProgress;
}

/**
 * Runs Sync All in the background of the server: the API's POST /sync and the scheduler both start runs
 * here, at most one per account at a time; a second start while one runs answers the running one. The jobs
 * live in memory for their progress only: the run's record in sync_runs is the truth about its state, and
 * `failInterruptedSyncRuns` settles what a stopped process left running.
 */
export class SyncRunner {
  private readonly byAccount = new Map<string, Job>();
  private readonly byRun = new Map<string, Job>();

  constructor(private readonly options: SyncRunnerOptions = {}) {}

  /** The key that opens connector passwords, or secret_key_missing: connectors cannot be added without it. */
  requireSecrets(): SecretBox {
    if (this.options.secrets === undefined) throw secretKeyMissing();
    return this.options.secrets;
  }

  /**
   * The key as the connector services use it: on a server without one, sealing or opening a password answers
   * secret_key_missing, which the services do only after their permission check (so an administrator who may
   * not manage connectors learns that first, not how the server is configured).
   */
  get secrets(): SecretBox {
    return (
      this.options.secrets ?? {
        seal: () => {
          throw secretKeyMissing();
        },
        open: () => {
          throw secretKeyMissing();
        },
      }
    );
  }

  private dependencies(): SyncDependencies {
    return { secrets: this.requireSecrets(), readDirectory: this.options.readDirectory };
  }

  /**
   * Starts Sync All of the account `request` names (refused first, as the service refuses: no permission,
   * outside reach) and resolves with the run's id once recorded; the run goes on in the background. While
   * a run of that account is at work, answers that run instead of starting another.
   */
  async start(
    context: ServiceContext,
    request: { account?: string | undefined },
  ): Promise<{ runId: string; state: "running" }> {
    // Who may not sync learns that first; a server without its key says so next.
    const account = await prepareSync(context, request);
    const deps = this.dependencies();
    const job = this.byAccount.get(account.accountId) ?? this.launch(context, account, deps);
    return { runId: await job.recorded, state: "running" };
  }

  /**
   * The scheduler's Sync All: every account with a connector, one after the other, each through the same
   * one-run-per-account rule (an account already running is waited for, not run twice).
   */
  async runAllAccounts(context: ServiceContext): Promise<void> {
    const deps = this.dependencies();
    for (const account of await listAccountsToSync(context)) {
      const job = this.byAccount.get(account.accountId) ?? this.launch(context, account, deps);
      await job.recorded.catch((error: unknown) => {
        this.report(error);
      });
      await job.ended;
    }
  }

  /** How far a running run has come; undefined when this process runs none of that id. */
  progressOf(runId: string): SyncProgress | undefined {
    const job = this.byRun.get(runId);
    return job ? { ...job.progress } : undefined;
  }

  /** Waits for every running run (a graceful stop). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.byAccount.values()].map((job) => job.ended));
  }

  private launch(context: ServiceContext, account: SyncAccount, deps: SyncDependencies): Job {
    let onRecorded: (runId: string) => void = () => undefined;
    let onRefused: (error: unknown) => void = () => undefined;
    const recorded = new Promise<string>((resolve, reject) => {
      onRecorded = resolve;
      onRefused = reject;
    });
    // Set before the first await: a second start in the same tick finds it.
    const job: Job = {
      account,
      recorded,
      ended: Promise.resolve(),
      runId: undefined,
      progress: { stage: "reading", connectorsRead: 0, connectors: 0 },
    };
    this.byAccount.set(account.accountId, job);
    // Whoever started the run awaits `recorded`; a run nobody waits for must not reject unhandled.
    recorded.catch(() => undefined);
    const work = syncAccount(context, account, deps, {
      onStarted: (runId) => {
        job.runId = runId;
        this.byRun.set(runId, job);
        onRecorded(runId);
      },
      onProgress: (progress) => {
        job.progress = progress;
      },
    });
    job.ended = work
      .then(
        (result) => {
          if (job.runId !== undefined) this.options.onFinished?.(account, job.runId, result);
        },
        (error: unknown) => {
          // Refused before the record (permission revoked meanwhile): the caller learns why. After it, the
          // service has recorded the failure; the log gets the error.
          if (job.runId === undefined) onRefused(error);
          else this.report(error);
        },
      )
      .finally(() => {
        this.byAccount.delete(account.accountId);
        if (job.runId !== undefined) this.byRun.delete(job.runId);
      });
    return job;
  }

  private report(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else console.error("mailroster: sync:", error instanceof Error ? error.message : String(error));
  }
}
