import type { ImportPlan } from "../../import/plan-import.js";
import { insertAddresses } from "../../store/addresses-repository.js";
import {
  insertAttributeDefinitionsBulk,
  insertAttributeValuesBulk,
  upsertAttributeValuesBulk,
} from "../../store/attributes-repository.js";
import { deleteGroupMembersBulk, insertGroupMembers } from "../../store/groups-repository.js";
import { findUserIdsWithNote, insertNotesBulk } from "../../store/notes-repository.js";
import { insertPasswordHistoryBulk } from "../../store/password-history-repository.js";
import { insertRoleAssignmentsBulk } from "../../store/roles-repository.js";
import { insertUsersBulk, updateUsersBulk } from "../../store/users-repository.js";
import { newId, writeAudit, type Tx } from "../context.js";
import { buildSliceRows, type SliceContext, type SliceRows } from "./build-slice-rows.js";
import { endCredentialsOfReset } from "./end-credentials-of-reset.js";
import type { ImportRun } from "./import-request.js";
import { throwIfCancelled } from "./import-cancellation.js";
import type { LoadedFacts } from "./load-directory-facts.js";

/**
 * Users are written in slices of this many: each slice's rows are built, written and dropped before the next,
 * so a 65,535-row import never holds every table's rows (and their JSON batches) in memory at once.
 */
const WRITE_SLICE = 512;

/** What a save writes besides the plan: the hashes of the passwords it sets, the note, the group. */
export interface PlanWrites {
  readonly loaded: LoadedFacts;
  /** Password hashes by address key. */
  readonly hashes: ReadonlyMap<string, string>;
  readonly note: string | null;
  /** The group the users join; undefined for Upload Only. */
  readonly groupId: string | undefined;
}

/** Writes a whole plan inside the caller's transaction, with set-based statements, a slice at a time. */
export async function writeImportPlan(
  tx: Tx,
  run: ImportRun,
  plan: ImportPlan,
  writes: PlanWrites,
): Promise<void> {
  const { context, actor } = run;
  const { loaded, groupId } = writes;
  const now = context.now().toISOString();
  const definitionIds = new Map(loaded.definitions.map((d) => [`${d.account_id}:${d.name_key}`, d.id]));
  const newDefinitions = plan.attributesCreated.map((a) => ({
    id: newId(),
    account_id: a.accountId,
    name: a.name,
    name_key: a.key,
  }));
  for (const d of newDefinitions) definitionIds.set(`${d.account_id}:${d.name_key}`, d.id);
  await insertAttributeDefinitionsBulk(tx, newDefinitions);

  const groupPath = loaded.facts.group?.path;
  // The note goes to every user the file names, once: those who already hold the same text get no copy.
  const noted =
    writes.note === null
      ? new Set<string>()
      : await findUserIdsWithNote(
          tx,
          plan.users.flatMap((u) => (u.existing ? [u.existing.id] : [])),
          writes.note,
        );
  const slice: SliceContext = { ...writes, run, groupPath, now, definitionIds, noted };
  // Each slice's rows are built while the database still writes the previous slice: on PostgreSQL, a server
  // process of its own, the two overlap instead of taking turns.
  let writing: Promise<void> | undefined;
  for (let start = 0; start < plan.users.length; start += WRITE_SLICE) {
    let rows: SliceRows;
    try {
      // Cancelled: throwing here, inside the transaction, rolls back every slice written so far.
      throwIfCancelled(run);
      rows = buildSliceRows(slice, plan.users.slice(start, start + WRITE_SLICE));
    } catch (error) {
      // Settle the slice in flight before the transaction rolls back, so its failure is not left unheard.
      await writing?.catch(() => undefined);
      throw error;
    }
    await writing;
    // SQLite answers synchronously, so without this the whole save would run as one unbroken chain of
    // promise callbacks, and the server could answer nothing (not even this save's progress) until it ends.
    await new Promise((resolve) => setImmediate(resolve));
    const done = Math.min(plan.users.length, start + WRITE_SLICE);
    writing = writeSlice(tx, run, rows).then(() =>
      run.request.onProgress?.({ stage: "saving", done, total: plan.users.length }),
    );
  }
  await writing;
  await endCredentialsOfReset(tx, run, plan);
  if (groupId !== undefined) {
    await deleteGroupMembersBulk(
      tx,
      groupId,
      plan.groupRemoved.map((m) => m.userId),
    );
  }
  await writeAudit(tx, context, actor, [
    ...plan.groupRemoved.map((m) => ({
      accountId: run.account.id,
      action: "group.remove_member",
      address: m.email,
      after: { path: groupPath, importId: run.id },
    })),
    {
      accountId: run.account.id,
      action: "import.save",
      after: { importId: run.id, file: run.request.fileName, summary: plan.summary },
    },
  ]);
}

async function writeSlice(tx: Tx, run: ImportRun, rows: SliceRows): Promise<void> {
  await insertUsersBulk(tx, rows.inserts);
  await updateUsersBulk(tx, rows.patches);
  await insertAddresses(tx, rows.addresses);
  await insertAttributeValuesBulk(tx, rows.newValues);
  await upsertAttributeValuesBulk(tx, rows.changedValues);
  await insertRoleAssignmentsBulk(tx, rows.roles);
  await insertPasswordHistoryBulk(tx, rows.history);
  await insertGroupMembers(tx, rows.members);
  await insertNotesBulk(tx, rows.notes);
  await writeAudit(tx, run.context, run.actor, rows.audit);
}
