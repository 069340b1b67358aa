import type { Executor } from "./schema.js";

/** The one-row counter that triggers bump on every write that can change a recipient verdict. */
export async function readDirectoryVersion(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("directory_version")
    .select("version")
    .where("id", "=", 1)
    .executeTakeFirst();
  return row?.version ?? 0;
}
