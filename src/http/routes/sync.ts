import type { Context } from "hono";
import { z } from "zod";
import type { SyncRunner } from "../../jobs/sync-runner.js";
import { listSyncRunHistory, showSyncRun } from "../../services/sync/sync-runs.js";
import { ApiRouter } from "../api-router.js";
import type { AppEnv } from "../http-env.js";
import { accountQuery, pageOf, pageQuery } from "../schemas.js";
import { syncRunListItemSchema, syncRunSchema, syncRunStartedSchema } from "../sync-schemas.js";
import { requestAccount } from "./request-account.js";
import { withProgress } from "./with-progress.js";

export function syncRunnerOf(c: Context<AppEnv>): SyncRunner {
  const runner = c.get("deps").sync;
  if (!runner) throw new Error("createApp always sets the sync runner");
  return runner;
}

const runParams = z.object({ runId: z.string().min(1).max(64) });

export const syncRoutes = new ApiRouter("/sync", "Directory Synchronization")
  .add(
    {
      method: "post",
      path: "",
      summary:
        "Sync All: starts a run in the background and answers 202 with its id; while a run of the account is at work (on any server), answers that run. Poll GET /sync/{runId}.",
      access: "signed-in",
      query: z.object(accountQuery),
      response: syncRunStartedSchema,
      status: 202,
    },
    ({ query, principal, services, c }) =>
      syncRunnerOf(c).start(services, { account: requestAccount(query, principal) }),
  )
  .add(
    {
      method: "get",
      path: "",
      summary:
        "The account's Sync All runs, newest first, a page at a time (counts, not the lists of errors).",
      access: "signed-in",
      query: z.object({ ...accountQuery, ...pageQuery }),
      response: pageOf(syncRunListItemSchema, "SyncRunPage"),
    },
    async ({ query, principal, services, c }) => {
      const page = await listSyncRunHistory(services, {
        account: requestAccount(query, principal),
        page: query.page,
        pageSize: query.pageSize,
      });
      const runner = syncRunnerOf(c);
      const items = await Promise.all(
        page.items.map(async (item) => ({
          ...item,
          progress:
            item.state === "running" ? ((await runner.progressOf(services, item.runId)) ?? null) : null,
        })),
      );
      return { ...page, items };
    },
  )
  .add(
    {
      method: "get",
      path: "/{runId}",
      summary:
        "One Sync All run: its state, counts, first errors, why it failed, and its progress while running.",
      access: "signed-in",
      params: runParams,
      response: syncRunSchema,
    },
    async ({ params, services, c }) =>
      withProgress(await showSyncRun(services, params.runId), () =>
        syncRunnerOf(c).progressOf(services, params.runId),
      ),
  );
