import { parseAccountCode } from "../directory/account.js";
import { AppError } from "../errors/app-error.js";
import { findAccountByCodeKey, listAccounts, type AccountRow } from "../store/accounts-repository.js";
import type { Executor } from "../store/schema.js";

/**
 * The account a request names, or when it names none the only top-level account (the one `init` made):
 * with several, the caller must say which.
 */
export async function resolveAccount(db: Executor, code: string | undefined): Promise<AccountRow> {
  if (code !== undefined) {
    const { key } = parseAccountCode(code);
    const account = await findAccountByCodeKey(db, key);
    if (!account) throw new AppError("account_not_found", `No account has the code "${code}".`, { code });
    return account;
  }
  const roots = (await listAccounts(db)).filter((a) => a.parent_id === null);
  const [only, ...others] = roots;
  if (!only) throw new AppError("account_not_found", "There is no account yet: run mailroster init.", {});
  if (others.length > 0) {
    throw new AppError("account_required", "Several accounts exist: name one with --account CODE.", {});
  }
  return only;
}
