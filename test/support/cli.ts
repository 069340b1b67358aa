import { main } from "../../src/cli/main.js";
import { ADMIN_PASSWORD } from "./service-context.js";

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
