import { parseAccountCode } from "../directory/account.js";
import { addressKey } from "../directory/address.js";
import { AppError } from "../errors/app-error.js";
import { findAccountByCodeKey, listAccounts, type AccountRow } from "../store/accounts-repository.js";
import type { Executor } from "../store/schema.js";
import { findAddressesByKeys } from "../store/addresses-repository.js";
import type { Permission } from "../directory/roles.js";
import { authorize, isWithin, type Actor, type Authorized } from "./context.js";

function accountNotFound(code: string): AppError {
  return new AppError("account_not_found", `No account has the code "${code}".`, { code });
}

/**
 * The account a request names, or when it names none the only top-level account (the one `init` made):
 * with several, the caller must say which.
 */
export async function resolveAccount(db: Executor, code: string | undefined): Promise<AccountRow> {
  if (code !== undefined) {
    const { key } = parseAccountCode(code);
    const account = await findAccountByCodeKey(db, key);
    if (!account) throw accountNotFound(code);
    return account;
  }
  const roots = (await listAccounts(db)).filter((a) => a.parent_id === null);
  const [only, ...others] = roots;
  if (!only) throw new AppError("account_not_found", "There is no account yet: create one first.", {});
  if (others.length > 0) {
    throw new AppError("account_required", "Several accounts exist: name the account.", {});
  }
  return only;
}

/** The account of the administrator who asks; undefined for the operator (who reaches everything) or a stranger. */
async function findActorAccountId(
  db: Executor,
  actor: Actor & { kind: "user" },
): Promise<string | undefined> {
  const [found] = await findAddressesByKeys(db, [addressKey(actor.email)]);
  return found?.kind === "primary" ? found.account_id : undefined;
}

/**
 * Whether the account is within the actor's reach: their own account or one nested under it, and through an
 * API token also within the token's account (the operator reaches every account). Reach is not permission:
 * `authorize` still decides what they may do there.
 */
export async function isWithinReach(db: Executor, actor: Actor, accountId: string): Promise<boolean> {
  if (actor.kind === "system") return true;
  const own = await findActorAccountId(db, actor);
  if (own === undefined || !(await isWithin(db, accountId, own))) return false;
  return actor.token === undefined || (await isWithin(db, accountId, actor.token.accountId));
}

/**
 * resolveAccount for an account named by an administrator: an account outside their reach is refused exactly
 * as a missing one (`account_not_found`, same message and details), so a code is no oracle of other tenants.
 */
export async function resolveAccountWithinReach(
  db: Executor,
  actor: Actor,
  code: string | undefined,
): Promise<AccountRow> {
  const account = await resolveAccount(db, code);
  if (code !== undefined && !(await isWithinReach(db, actor, account.id))) throw accountNotFound(code);
  return account;
}

/** The account a request names (within the actor's reach), or undefined when it names none: "every account". */
export async function resolveAccountIfNamed(
  db: Executor,
  actor: Actor,
  code: string | undefined,
): Promise<AccountRow | undefined> {
  return code === undefined ? undefined : resolveAccountWithinReach(db, actor, code);
}

/**
 * The account a request names (or the only one), within the actor's reach, once the actor holds `permission`
 * there: the check every read and change of an account's directory starts with. Reads outside a transaction
 * unless given one.
 */
export async function resolveAuthorizedAccount(
  db: Executor,
  actor: Actor,
  code: string | undefined,
  permission: Permission,
): Promise<{ account: AccountRow; actor: Authorized }> {
  const account = await resolveAccountWithinReach(db, actor, code);
  return { account, actor: await authorize(db, actor, account.id, permission) };
}
