import { z } from "zod";
import { listSubtree } from "../../directory/account-tree.js";
import { listAccountLinks, listAccounts } from "../../store/accounts-repository.js";
import {
  insertScimActivity,
  pageScimActivity,
  pruneScimActivity,
} from "../../store/scim-activity-repository.js";
import { resolveAccountWithinReach } from "../account-lookup.js";
import { authorize, newId, type ServiceContext } from "../context.js";
import { scimTokenName, type ScimCaller } from "./scim-caller.js";

/** The log keeps each account's newest entries only: recent activity, bounded. */
export const SCIM_ACTIVITY_KEPT = 5000;
// Pruning is a query of its own: done every so many writes, so the log overshoots by at most this many.
const PRUNE_EVERY = 100;
let writes = 0;

export interface ScimActivityEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly operations: number;
  readonly errorCode: string | null;
  readonly scimType: string | null;
  readonly message: string | null;
}

/** Records one SCIM request (a change or a refusal) of a token, after its reply is decided. */
export async function recordScimActivity(caller: ScimCaller, entry: ScimActivityEntry): Promise<void> {
  const { context, token } = caller;
  await insertScimActivity(context.db, {
    id: newId(),
    account_id: token.accountId,
    token_id: token.id,
    token_name: await scimTokenName(caller),
    at: context.now().toISOString(),
    method: entry.method,
    path: entry.path.slice(0, 300),
    status: entry.status,
    operations: entry.operations,
    error_code: entry.errorCode,
    scim_type: entry.scimType,
    message: entry.message === null ? null : entry.message.slice(0, 500),
  });
  writes = (writes + 1) % PRUNE_EVERY;
  if (writes === 0) await pruneScimActivity(context.db, token.accountId, SCIM_ACTIVITY_KEPT);
}

/** One logged request as the console and the CLI show it (declared once: the API parses its reply through it). */
export const scimActivityViewSchema = z.object({
  id: z.string(),
  at: z.string(),
  account: z.string(),
  /** The API token's name. */
  token: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.int(),
  /** A Bulk request's operations; 1 otherwise. */
  operations: z.int(),
  errorCode: z.string().nullable(),
  scimType: z.string().nullable(),
  message: z.string().nullable(),
});
export type ScimActivityView = z.infer<typeof scimActivityViewSchema>;

/** Recent SCIM activity of the account and those under it, newest first, a page at a time (keyset). */
export async function listScimActivity(
  context: ServiceContext,
  request: {
    account?: string | undefined;
    before?: string | undefined;
    errorsOnly?: boolean | undefined;
    limit: number;
  },
): Promise<{ items: ScimActivityView[]; next: string | null }> {
  const account = await resolveAccountWithinReach(context.db, context.actor, request.account);
  await authorize(context.db, context.actor, account.id, "view_audit");
  const accountIds = listSubtree(await listAccountLinks(context.db), account.id).map((a) => a.id);
  const rows = await pageScimActivity(context.db, {
    accountIds,
    before: request.before,
    errorsOnly: request.errorsOnly ?? false,
    limit: request.limit + 1,
  });
  const codes = new Map((await listAccounts(context.db)).map((a) => [a.id, a.code]));
  const page = rows.slice(0, request.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      at: r.at,
      account: codes.get(r.account_id) ?? r.account_id,
      token: r.token_name,
      method: r.method,
      path: r.path,
      status: r.status,
      operations: r.operations,
      errorCode: r.error_code,
      scimType: r.scim_type,
      message: r.message,
    })),
    next: rows.length > request.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
