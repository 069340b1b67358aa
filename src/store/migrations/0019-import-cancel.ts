import type { Kysely } from "kysely";

// Cancel while previewing or before the commit (issue 13): a request to cancel is a column of the import's
// record, so any server may take it and the server running the import sees it (at its next progress poll, and at
// the latest in the guarded update that would commit the save). Never edited once landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").addColumn("cancel_requested_at", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").dropColumn("cancel_requested_at").execute();
}
