import { delegatePairKey } from "../../directory/delegate-rules.js";
import type { DelegateFacts, DelegateUser } from "../../import/delegates/plan-delegates.js";
import type { DelegateRow } from "../../import/delegates/read-delegate-sheet.js";
import { eachAddressByKeys } from "../../store/addresses-repository.js";
import { eachDelegateOfUsers } from "../../store/delegates-repository.js";
import type { Executor } from "../../store/schema.js";
import { loadUsersByIds } from "../../store/users-repository.js";

/**
 * What the delegate plan needs, in a fixed number of bulk queries: the owner of every address of the file
 * (primary or alias), those users' accounts and primary addresses, and the pairs they already hold.
 */
export async function loadDelegateFacts(
  db: Executor,
  accountId: string,
  rows: readonly DelegateRow[],
): Promise<DelegateFacts> {
  const keys = [...new Set(rows.flatMap((r) => [r.primary.key, r.delegate.key]))];
  const owners = new Map<string, string>();
  await eachAddressByKeys(db, keys, (a) => {
    owners.set(a.address_key, a.user_id);
  });
  const userRows = await loadUsersByIds(db, [...new Set(owners.values())]);
  const byId = new Map(userRows.map((u) => [u.id, u]));
  const users = new Map<string, DelegateUser>();
  for (const [key, userId] of owners) {
    const user = byId.get(userId);
    if (user) users.set(key, { userId, accountId: user.account_id, email: user.email });
  }
  const primaryIds = new Set<string>();
  for (const row of rows) {
    const user = users.get(row.primary.key);
    if (user?.accountId === accountId) primaryIds.add(user.userId);
  }
  const existing = new Map<string, string>();
  await eachDelegateOfUsers(db, [...primaryIds], (pair) => {
    existing.set(delegatePairKey(pair.user_id, pair.delegate_user_id), pair.id);
  });
  return { accountId, users, existing };
}
