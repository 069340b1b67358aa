import { createArgon2Hasher } from "../adapters/password-hasher.js";
import { isCommonPassword } from "../adapters/common-passwords.js";
import { migrateToLatest } from "../store/migrate.js";
import { DEFAULT_DATABASE, openDatabase } from "../store/open-database.js";
import type { ServiceContext } from "../services/context.js";
import { UsageError } from "./command.js";

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

export function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[0-9]+$/.test(text)) throw new UsageError(`${flag} needs a whole number, not "${text}"`);
  return Number(text);
}

export function requireOne(positionals: readonly string[], what: string): string {
  const [only, ...rest] = positionals;
  if (only === undefined) throw new UsageError(`missing ${what}`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest.join(" ")}"`);
  return only;
}

export function printJson(value: unknown, write: (text: string) => void): void {
  write(JSON.stringify(value, null, 2) + "\n");
}

/** The flags most commands share, spread into each command's parseArgs options. */
export const DB_OPTION = { db: { type: "string" } } as const;
export const ACCOUNT_OPTION = { account: { type: "string" } } as const;
export const JSON_OPTION = { json: { type: "boolean" } } as const;
