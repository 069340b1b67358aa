import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findExecutable } from "./external-tools.js";
import { freePort, waitForListening } from "./ports.js";

export const LDAP_TOOLS = ["slapd", "slapadd", "ldapmodify"] as const;
export const SUFFIX = "dc=example,dc=com";
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PASSWORD = "slapd-test-secret";

/** A private OpenLDAP server on a loopback port, with its configuration and data in a temporary folder. */
export interface Slapd {
  readonly url: string;
  readonly port: number;
  /** Applies LDIF change records (each with its changetype) through ldapmodify as the root DN. */
  modify(ldif: string): void;
  stop(): Promise<void>;
}

function tool(name: string): string {
  const path = findExecutable(name);
  if (path === undefined) throw new Error(`${name} is not installed`);
  return path;
}

const BASE_LDIF = `dn: ${SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,${SUFFIX}
objectClass: organizationalUnit
ou: people
`;

/** An LDIF record for a person with mail and optional aliases (mailLocalAddress, misc.schema). */
export function personLdif(uid: string, mail: string, name: string, aliases: readonly string[] = []): string {
  return [
    `dn: uid=${uid},ou=people,${SUFFIX}`,
    "objectClass: inetOrgPerson",
    "objectClass: inetLocalMailRecipient",
    `uid: ${uid}`,
    `cn: ${name}`,
    `sn: ${name.split(" ").pop() ?? name}`,
    `displayName: ${name}`,
    `mail: ${mail}`,
    ...aliases.map((a) => `mailLocalAddress: ${a}`),
    "",
  ].join("\n");
}

/**
 * Starts slapd (mdb backend, core/cosine/inetorgperson/nis/misc schemas from /etc/ldap/schema) on a free
 * loopback port. `bulkLdif` entries are loaded offline with `slapadd -q` before the server starts, which is
 * how a large directory is loaded quickly; slapadd also gives every entry its entryUUID.
 */
export async function startSlapd(options: { bulkLdif?: string } = {}): Promise<Slapd> {
  const dir = mkdtempSync(join(tmpdir(), "mailroster-slapd-"));
  const data = join(dir, "data");
  mkdirSync(data);
  const config = join(dir, "slapd.conf");
  writeFileSync(
    config,
    [
      ...["core", "cosine", "inetorgperson", "nis", "misc"].map(
        (s) => `include /etc/ldap/schema/${s}.schema`,
      ),
      `pidfile ${join(dir, "slapd.pid")}`,
      `argsfile ${join(dir, "slapd.args")}`,
      "modulepath /usr/lib/ldap",
      "moduleload back_mdb",
      // Paged searches return everything; the server's default would stop at 500 entries.
      "sizelimit unlimited",
      "database mdb",
      "maxsize 1073741824",
      `suffix "${SUFFIX}"`,
      `rootdn "${ROOT_DN}"`,
      `rootpw ${ROOT_PASSWORD}`,
      `directory ${data}`,
      "index objectClass eq",
      "",
    ].join("\n"),
  );
  const ldifPath = join(dir, "load.ldif");
  writeFileSync(ldifPath, `${BASE_LDIF}\n${options.bulkLdif ?? ""}`);
  const load = spawnSync(tool("slapadd"), ["-q", "-f", config, "-l", ldifPath], { encoding: "utf8" });
  if (load.status !== 0) throw new Error(`slapadd failed: ${load.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // -d keeps slapd in the foreground, so it is our child and stops with us.
  const child = spawn(tool("slapd"), ["-d", "0", "-h", `${url}/`, "-f", config], { stdio: "ignore" });
  try {
    await waitForListening(port, child, "slapd", 10_000);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    port,
    modify(ldif) {
      const run = spawnSync(tool("ldapmodify"), ["-x", "-H", url, "-D", ROOT_DN, "-w", ROOT_PASSWORD], {
        input: ldif,
        encoding: "utf8",
      });
      if (run.status !== 0) throw new Error(`ldapmodify failed: ${run.stderr}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
