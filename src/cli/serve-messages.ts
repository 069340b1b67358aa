import { isAppError } from "../errors/app-error.js";
import { parseDatabaseUrl } from "../store/open-database.js";

// What `serve` says when it starts: what it did, where, and what is optional and off, in plain sentences. A
// missing secret key is a choice (its features stay off), not an error, so it is not printed as one.

/** The database as a person reads it: the file, or the server and database without the password. */
export function describeDatabase(url: string): string {
  const target = parseDatabaseUrl(url);
  if (target.kind === "sqlite") return `the SQLite file ${target.path}`;
  if (target.kind === "pglite") return `the embedded PostgreSQL (PGlite) folder ${target.dir}`;
  try {
    const parsed = new URL(target.url);
    const database = parsed.pathname.replace(/^\//, "") || "(default)";
    return `PostgreSQL database ${database} on ${parsed.host}`;
  } catch {
    return "PostgreSQL";
  }
}

const FIRST_MIGRATION = "applied 0001-directory";

/** The first line: what the start did to the database (`applied` as migrateToLatest reports it). */
export function databaseLine(url: string, applied: readonly string[]): string {
  const where = describeDatabase(url);
  if (applied.length === 0) return `mailroster: using ${where}\n`;
  if (applied.includes(FIRST_MIGRATION)) return `mailroster: created the directory's tables in ${where}\n`;
  return `mailroster: using ${where} (${applied.length} migration${applied.length === 1 ? "" : "s"} applied)\n`;
}

export interface OptionalFeatures {
  readonly secretKey: boolean;
  readonly smtp: boolean;
  readonly mailAuth: boolean;
}

/** One line per optional feature left off, each saying how to turn it on. */
export function optionalLines(on: OptionalFeatures): string {
  const lines: string[] = [];
  if (!on.secretKey) {
    lines.push(
      "Optional, off: Sync All from LDAP, connectors and OpenID Connect need a secret key; set " +
        "MAILROSTER_SECRET_KEY (32 bytes: `openssl rand -hex 32`) and start again.",
    );
  }
  if (!on.smtp) lines.push("Optional, off: the SMTP recipient check (--smtp-listen HOST:PORT).");
  if (!on.mailAuth) lines.push("Optional, off: mail access checks for Dovecot (--mail-auth-socket PATH).");
  return lines.map((line) => `${line}\n`).join("");
}

/** The secret key, or undefined when none is set; a key that is set but malformed is an error to fix. */
export function secretKeyOrNothing<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch (error) {
    if (isAppError(error) && error.code === "secret_key_missing") return undefined;
    throw error;
  }
}
