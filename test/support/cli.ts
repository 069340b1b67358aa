import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { DialectName } from "../../src/store/open-database.js";
import { createCliDatabaseUrl } from "./databases.js";
import { THREE_PEOPLE } from "./ldap-fixtures.js";
import { ADMIN_PASSWORD } from "./service-context.js";
import { ROOT_DN, ROOT_PASSWORD, SUFFIX, startSlapd, type Slapd } from "./slapd.js";

/** What one in-process run of the CLI returned and printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (no dist/ needed), capturing what it prints. */
export async function runCli(argv: readonly string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** A runner that appends `--db <url>`; the URL is read at each call, as tests set it in beforeEach. */
export function cliOn(url: () => string): (...argv: string[]) => Promise<CliRun> {
  return (...argv) => runCli([...argv, "--db", url()]);
}

/** `mailroster init` of the example directory: account CxAy with example.com, admin@example.com its admin. */
export function initExampleArgv(adminPassword = ADMIN_PASSWORD): string[] {
  return [
    ...["init", "--account", "Example Ltd", "--code", "CxAy", "--domain", "example.com"],
    ...["--admin", "admin@example.com", "--admin-password", adminPassword],
  ];
}

export interface CliDatabase {
  /** Runs the CLI on this test's database (`--db` appended). */
  readonly cli: (...argv: string[]) => Promise<CliRun>;
  /** This test's database URL, for a spawned process. */
  readonly url: () => string;
}

/**
 * Registers hooks that give each test a fresh CLI database of the dialect, and with `secretKey` a fresh
 * MAILROSTER_SECRET_KEY (connector passwords and OIDC keys are sealed with it); call inside describe().
 */
export function useCliDatabase(dialect: DialectName, options: { secretKey?: boolean } = {}): CliDatabase {
  let url = "";
  let cleanup: () => Promise<void> = () => Promise.resolve();
  beforeEach(async () => {
    ({ url, cleanup } = await createCliDatabaseUrl(dialect));
    if (options.secretKey === true) vi.stubEnv("MAILROSTER_SECRET_KEY", randomBytes(32).toString("hex"));
  });
  afterEach(async () => {
    if (options.secretKey === true) vi.unstubAllEnvs();
    await cleanup();
  });
  return { cli: cliOn(() => url), url: () => url };
}

export interface LdapCli extends CliDatabase {
  /** Starts a slapd holding THREE_PEOPLE for this test; it is stopped after the test. */
  readonly startSlapd: () => Promise<Slapd>;
}

/** useCliDatabase with a sealing key, and a slapd a test may start (stopped after it); call inside describe(). */
export function useLdapCli(dialect: DialectName): LdapCli {
  let slapd: Slapd | undefined;
  const database = useCliDatabase(dialect, { secretKey: true });
  afterEach(async () => {
    await slapd?.stop();
    slapd = undefined;
  });
  return {
    ...database,
    startSlapd: async () => (slapd = await startSlapd({ bulkLdif: THREE_PEOPLE })),
  };
}

/** `connectors add corp`: an LDAP connector on `ldapUrl` binding as slapd's root, searching under `baseDn`. */
export function addCorpConnectorArgv(ldapUrl: string, baseDn = SUFFIX): string[] {
  return [
    ...["connectors", "add", "corp", "--type", "ldap", "--url", ldapUrl, "--bind-dn", ROOT_DN],
    ...["--bind-password", ROOT_PASSWORD, "--base-dn", baseDn],
  ];
}
