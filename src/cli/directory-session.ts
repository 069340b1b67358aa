import { createArgon2Hasher } from "../adapters/password-hasher.js";
import { isCommonPassword } from "../adapters/common-passwords.js";
import { migrateToLatest } from "../store/migrate.js";
import { DEFAULT_DATABASE, openDatabase } from "../store/open-database.js";
import type { ServiceContext } from "../services/context.js";

/** Database from --db, else DATABASE_URL, else ./mailroster.db. */
export function chooseDatabaseUrl(flag: string | undefined): string {
  return flag ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE;
}

/**
 * Opens the database, applies pending migrations, runs `work` with a service context acting as the
 * operator, and always closes the database.
 */
export async function withDirectory<T>(
  dbFlag: string | undefined,
  work: (context: ServiceContext) => Promise<T>,
): Promise<T> {
  const open = await openDatabase(chooseDatabaseUrl(dbFlag));
  try {
    await migrateToLatest(open.db);
    return await work({
      db: open.db,
      hasher: createArgon2Hasher(),
      isCommonPassword,
      now: () => new Date(),
      actor: { kind: "system", name: "cli" },
    });
  } finally {
    await open.close();
  }
}

export function printJson(value: unknown, write: (text: string) => void): void {
  write(JSON.stringify(value, null, 2) + "\n");
}
