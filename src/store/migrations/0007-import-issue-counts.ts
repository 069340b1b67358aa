import type { Kysely } from "kysely";

// An import lists only its first issues of each severity (src/import/issue-list.ts): this column holds what
// the lists leave out, the count of every error and warning by code ({"errorCount", "warningCount",
// "errorCounts", "warningCounts", "truncated"}, a few hundred bytes). Null for imports recorded before it
// (their lists hold every issue) and while an import runs. Never edited once landed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").addColumn("issue_counts_json", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("imports").dropColumn("issue_counts_json").execute();
}
