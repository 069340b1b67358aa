import type { Selectable } from "kysely";
import { insertRecords } from "./bulk/bulk-insert.js";
import { eachInChunks, inKeys, selectInChunks } from "./bulk/chunked-keys.js";
import type { Executor, NotesTable } from "./schema.js";

// Notes attached to users (by an administrator, or by an import).

export type NoteRow = Selectable<NotesTable>;

export async function insertNote(db: Executor, row: NoteRow): Promise<void> {
  await db.insertInto("notes").values(row).execute();
}

export async function insertNotesBulk(db: Executor, rows: readonly NoteRow[]): Promise<void> {
  await insertRecords(
    db,
    "notes",
    ["id", "account_id", "user_id", "address", "text", "author", "created_at"],
    rows,
  );
}

export async function findNotesByUserIds(db: Executor, userIds: readonly string[]): Promise<NoteRow[]> {
  return selectInChunks(userIds, (chunk) =>
    db
      .selectFrom("notes")
      .selectAll()
      .where(inKeys(db, "user_id", chunk))
      .orderBy("created_at")
      .orderBy("id")
      .execute(),
  );
}

/** Which of `userIds` already hold a note of exactly `text` (an import attaches its note once per user). */
export async function findUserIdsWithNote(
  db: Executor,
  userIds: readonly string[],
  text: string,
): Promise<Set<string>> {
  const found = new Set<string>();
  await eachInChunks(
    userIds,
    (chunk) =>
      db
        .selectFrom("notes")
        .select("user_id")
        .distinct()
        .where(inKeys(db, "user_id", chunk))
        .where("text", "=", text)
        .execute(),
    (row) => found.add(row.user_id),
  );
  return found;
}
