import type { Kysely, Transaction } from "kysely";
import type { PasswordHasher } from "../adapters/password-hasher.js";
import { MAX_ACCOUNT_DEPTH, isWithinAccount, lookUpParentsIn } from "../directory/account-tree.js";
import { addressKey } from "../directory/address.js";
import { uuidV7 } from "../directory/uuid-v7.js";
import { hasPermission, isRoleId, type Permission, type RoleId } from "../directory/roles.js";
import { AppError } from "../errors/app-error.js";
import { listAccountAncestry } from "../store/accounts-repository.js";
import { insertAuditRows } from "../store/audit-repository.js";
import type { Database, Executor } from "../store/schema.js";
import { findRolesByUserIds } from "../store/roles-repository.js";
import { findUserByEmailKey } from "../store/users-repository.js";

/**
 * Who asks: the operator at the command line (full rights over the database they opened) or an
 * administrator signed in to the console or API, whose roles decide.
 */
export type Actor =
  | { readonly kind: "system"; readonly name: string }
  | {
      readonly kind: "user";
      readonly email: string;
      /**
       * Set when the administrator acts through an API token: the token reaches only its own account and
       * the accounts nested under it, however far its creator reaches.
       */
      readonly token?: { readonly id: string; readonly accountId: string } | undefined;
    };

/** What every service needs; built once by a shell (CLI, HTTP) and passed to each call. */
export interface ServiceContext {
  readonly db: Kysely<Database>;
  readonly hasher: PasswordHasher;
  readonly isCommonPassword: (password: string) => boolean;
  readonly now: () => Date;
  readonly actor: Actor;
}

export type Tx = Transaction<Database>;

/** Time-ordered, so rows written together sit together in every index on their id. */
export function newId(): string {
  return uuidV7();
}

export function describeActor(actor: Actor): string {
  return actor.kind === "system" ? actor.name : actor.email;
}

/** The resolved actor for one change: their name for the audit log and their roles. */
export interface Authorized {
  readonly name: string;
  readonly roles: readonly RoleId[] | "all";
}

/**
 * Whether `accountId` is `ancestorId` or nested under it: the ancestor chain comes from the store in one
 * query, the rule (bounded, cycle-safe) from directory/account-tree.ts.
 */
export async function isWithin(tx: Executor, accountId: string, ancestorId: string): Promise<boolean> {
  const chain = await listAccountAncestry(tx, accountId, MAX_ACCOUNT_DEPTH);
  return isWithinAccount(lookUpParentsIn(chain), accountId, ancestorId);
}

/** Refuses with `permission_denied` unless the actor may do `permission` in the account. */
export async function authorize(
  tx: Executor,
  actor: Actor,
  accountId: string,
  permission: Permission,
): Promise<Authorized> {
  if (actor.kind === "system") return { name: actor.name, roles: "all" };
  const user = await findUserByEmailKey(tx, addressKey(actor.email));
  const denied = new AppError("permission_denied", `${actor.email} may not do this (${permission}).`, {
    permission,
  });
  if (!user) throw denied;
  const roles = (await findRolesByUserIds(tx, [user.id])).map((r) => r.role).filter(isRoleId);
  if (!hasPermission(roles, permission)) throw denied;
  // An administrator acts on their own account and the accounts nested under it.
  if (!(await isWithin(tx, accountId, user.account_id))) throw denied;
  if (actor.token && !(await isWithin(tx, accountId, actor.token.accountId))) throw denied;
  return { name: actor.email, roles };
}

export interface AuditEntry {
  readonly accountId: string;
  readonly action: string;
  readonly address?: string | undefined;
  /** Snapshots made by mappers, never rows: they hold no secret. */
  readonly before?: unknown;
  readonly after?: unknown;
}

// Orders audit rows that share a millisecond: several writeAudit calls of one change (a user, then its role)
// often do. Monotonic within the process; wraps long before the integer column would.
let auditSequence = 0;

/** Writes the audit rows of one change inside its transaction. */
export async function writeAudit(
  tx: Tx,
  context: ServiceContext,
  actor: Authorized,
  entries: readonly AuditEntry[],
): Promise<void> {
  const at = context.now().toISOString();
  await insertAuditRows(
    tx,
    entries.map((entry) => ({
      id: newId(),
      account_id: entry.accountId,
      seq: (auditSequence = (auditSequence + 1) % 1_000_000_000),
      at,
      actor: actor.name,
      action: entry.action,
      address: entry.address ?? null,
      before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    })),
  );
}
