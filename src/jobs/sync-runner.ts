import type { DirectoryReader } from "../adapters/ldap-directory.js";
import type { SecretBox } from "../adapters/secret-box.js";
import { AppError, isAppError } from "../errors/app-error.js";
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
import type { LeaseWatch } from "./leases.js";
import { IN_PROCESS_SYNC_LEASES, type SyncLeases } from "./sync-leases.js";

export interface SyncRunnerOptions {
  /** Opens the connectors' bind passwords; without it (no MAILROSTER_SECRET_KEY) Sync All is refused. */
  readonly secrets?: SecretBox | undefined;
  /** The LDAP reader (tests may pass another). */
  readonly readDirectory?: DirectoryReader | undefined;
  /** Told of every run that ended, with its account and result (`serve` prints a line). */
  readonly onFinished?: ((account: SyncAccount, runId: string, result: SyncResult) => void) | undefined;
  /** Where errors of background runs go (they have no request to answer). */
  readonly onError?: ((error: unknown) => void) | undefined;
  /** Heartbeats, shared progress and lease watchdogs (PostgreSQL); nothing shared by default. */
  readonly leases?: SyncLeases | undefined;
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

/** The run `error` names when it refused a start because the account's run is at work (anywhere). */
function runningRunOf(error: unknown): string | undefined {
  return isAppError(error) && error.code === "sync_already_running" ? String(error.details.runId) : undefined;
}

/**
 * Runs Sync All in the background of the server: the API's POST /sync and the scheduler both start runs
 * here, at most one per account at a time, on every server together (a unique index on the running run);
 * a second start while one runs answers the running one. The jobs live in memory for their progress; with
 * shared leases (several servers on PostgreSQL) the progress and a heartbeat also go to the database, and
 * another server fails a run whose server died. The run's record in sync_runs is the truth about its state,
 * and `failInterruptedSyncRuns` settles at start what a stopped process left running.
 */
export class SyncRunner {
  private readonly byAccount = new Map<string, Job>();
  private readonly byRun = new Map<string, Job>();
  private readonly leases: SyncLeases;

  constructor(private readonly options: SyncRunnerOptions = {}) {
    this.leases = options.leases ?? IN_PROCESS_SYNC_LEASES;
  }

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
    // Twice at most: a run at work elsewhere whose server has stopped beating is failed, then ours starts.
    for (let attempt = 0; ; attempt++) {
      const job = this.byAccount.get(account.accountId) ?? this.launch(context, account, deps);
      try {
        return { runId: await job.recorded, state: "running" };
      } catch (error) {
        const running = runningRunOf(error);
        if (running === undefined) throw error;
        await job.ended;
        if (attempt > 0 || !(await this.leases.settleNow(context, running))) {
          return { runId: running, state: "running" };
        }
      }
    }
  }

  /**
   * The scheduler's Sync All: every account with a connector, one after the other, each through the same
   * one-run-per-account rule (an account already running here is waited for, not run twice; one running on
   * another server or from the command line is left to it).
   */
  async runAllAccounts(context: ServiceContext): Promise<void> {
    const deps = this.dependencies();
    for (const account of await listAccountsToSync(context)) {
      const job = this.byAccount.get(account.accountId) ?? this.launch(context, account, deps);
      await job.recorded.catch((error: unknown) => {
        if (runningRunOf(error) === undefined) this.report(error);
      });
      await job.ended;
    }
  }

  /** How far a running run has come, on this server or (shared leases) another; undefined once it ended. */
  async progressOf(context: ServiceContext, runId: string): Promise<SyncProgress | undefined> {
    const job = this.byRun.get(runId);
    return job ? { ...job.progress } : await this.leases.progressOf(context, runId);
  }

  /** Waits for every running run (a graceful stop), then stops the heartbeats. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.byAccount.values()].map((job) => job.ended));
    await this.leases.close();
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
    let watch: LeaseWatch<SyncProgress> | undefined;
    const work = syncAccount(context, account, deps, {
      onStarted: (runId) => {
        job.runId = runId;
        this.byRun.set(runId, job);
        watch = this.leases.watch(context, runId);
        onRecorded(runId);
      },
      onProgress: (progress) => {
        job.progress = progress;
        watch?.progress(progress);
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
        watch?.end();
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
