import type { ImportPlan } from "../../import/plan-import.js";
import { endCredentialsOf } from "../auth-service.js";
import type { Tx } from "../context.js";
import type { ImportRun } from "./import-request.js";

/**
 * A password set or a lock by import is a reset like the console's: the user's sessions and API tokens end
 * in the same transaction. Only administrators hold either, and the plan knows their roles, so this is a
 * handful of statements, not one per row.
 */
export async function endCredentialsOfReset(tx: Tx, run: ImportRun, plan: ImportPlan): Promise<void> {
  for (const user of plan.users) {
    const existing = user.existing;
    if (existing === undefined || existing.roles.length === 0) continue;
    const locks = user.flags.get("accountlockedout") === true;
    if (!user.setPassword && !locks) continue;
    const target = { userId: existing.id, accountId: existing.accountId, email: existing.email };
    await endCredentialsOf(tx, run.context, target, user.setPassword ? "password_set" : "locked", run.actor);
  }
}
