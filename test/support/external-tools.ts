import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

const SEARCH_PATH = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/bin", "/sbin"];

/** The full path of an executable, or undefined. */
export function findExecutable(name: string): string | undefined {
  for (const dir of SEARCH_PATH) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * True when every tool is installed. Otherwise: under CI=true a missing tool fails the run (CI must prove
 * these tests against the real servers), elsewhere the caller skips and this says loudly what was skipped.
 */
export function requireTools(tools: readonly string[], what: string): boolean {
  const missing = tools.filter((t) => findExecutable(t) === undefined);
  if (missing.length === 0) return true;
  const message =
    `${what}: ${missing.join(", ")} not installed ` +
    "(apt-get install slapd ldap-utils swaks; .ci/run does this)";
  if (process.env.CI === "true") throw new Error(`CI=true and ${message}`);
  console.warn(`\n!!! SKIPPED ${message}.\n`);
  return false;
}
