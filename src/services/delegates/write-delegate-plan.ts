import type { DelegatePlan } from "../../import/delegates/plan-delegates.js";
import { deleteDelegatesByIds, insertDelegates } from "../../store/delegates-repository.js";
import { findUserIdsWithNote, insertNotesBulk } from "../../store/notes-repository.js";
import { newId, writeAudit, type Tx } from "../context.js";
import type { ImportRun } from "../imports/import-request.js";

/**
 * Writes a delegate plan in the caller's transaction: the new pairs, the removed ones, an audit row per
 * change (delegate.add / delegate.remove, on the Primary Address) and the importer's note on every Primary
 * Address whose access changed (once: a user holding the same text already gets no copy).
 */
export async function writeDelegatePlan(tx: Tx, run: ImportRun, plan: DelegatePlan): Promise<void> {
  const { context, account, actor, note } = run;
  const now = context.now().toISOString();
  await deleteDelegatesByIds(
    tx,
    plan.removes.map((r) => r.id),
  );
  await insertDelegates(
    tx,
    plan.adds.map((a) => ({
      id: newId(),
      account_id: account.id,
      user_id: a.userId,
      delegate_user_id: a.delegateUserId,
      created_at: now,
      created_by: actor.name,
    })),
  );
  const changes = [
    ...plan.adds.map((change) => ({ action: "delegate.add", change })),
    ...plan.removes.map((change) => ({ action: "delegate.remove", change })),
  ];
  await writeAudit(
    tx,
    context,
    actor,
    changes.map(({ action, change }) => ({
      accountId: account.id,
      action,
      address: change.primary,
      after: { primary: change.primary, delegate: change.delegate, importId: run.id },
    })),
  );
  if (note === null) return;
  const touched = new Map(changes.map(({ change }) => [change.userId, change.primary]));
  const noted = await findUserIdsWithNote(tx, [...touched.keys()], note);
  await insertNotesBulk(
    tx,
    [...touched].flatMap(([userId, address]) =>
      noted.has(userId)
        ? []
        : [
            {
              id: newId(),
              account_id: account.id,
              user_id: userId,
              address,
              text: note,
              author: actor.name,
              created_at: now,
            },
          ],
    ),
  );
}
