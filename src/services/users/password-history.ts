import { AppError } from "../../errors/app-error.js";
import { findRecentPasswordHashes, insertPasswordHistory } from "../../store/password-history-repository.js";
import type { UserRow } from "../../store/users-repository.js";
import { newId, type ServiceContext, type Tx } from "../context.js";
import { loadPasswordPolicy } from "../password-policy-service.js";

/** Refuses `password_reused` when the password matches one of the last the account's policy remembers. */
export async function assertNotReused(
  tx: Tx,
  context: ServiceContext,
  user: UserRow,
  password: string,
): Promise<void> {
  const policy = await loadPasswordPolicy(tx, user.account_id);
  if (policy.history === 0) return;
  for (const old of await findRecentPasswordHashes(tx, user.id, policy.history)) {
    if (await context.hasher.verify(old, password)) {
      throw new AppError("password_reused", "The password was used recently.", { address: user.email });
    }
  }
}

/** Remembers a new password hash, so a later change can be checked against it. */
export async function recordPassword(tx: Tx, user: UserRow, hash: string, at: string): Promise<void> {
  await insertPasswordHistory(tx, {
    id: newId(),
    account_id: user.account_id,
    user_id: user.id,
    password_hash: hash,
    set_at: at,
  });
}
