import { randomBytes } from "node:crypto";
import { createSecretBox, type SecretBox } from "../../src/adapters/secret-box.js";
import { addConnector } from "../../src/services/sync/connectors.js";
import type { ServiceContext } from "../../src/services/context.js";
import { ROOT_DN, ROOT_PASSWORD, SUFFIX, personLdif, type Slapd } from "./slapd.js";

/** Three people of example.com, as the story test and the sync tests start from. */
export const THREE_PEOPLE = [
  personLdif("ann", "ann@example.com", "Ann Lee", ["a.lee@example.com"]),
  personLdif("bob", "bob@example.com", "Bob Stone"),
  personLdif("cara", "cara@example.com", "Cara Diaz"),
].join("\n");

/** What a first Sync All of THREE_PEOPLE reports: three users created, nothing else, no error. */
export const THREE_PEOPLE_FIRST_SYNC = {
  created: 3,
  updated: 0,
  reclaimed: 0,
  flagged: 0,
  removed: 0,
  errors: [],
  errorCount: 0,
  errorCounts: {},
} as const;

export function testSecrets(): SecretBox {
  return createSecretBox(randomBytes(32));
}

/** Builder: a connector named `name` over the test slapd, bound as its root DN unless told otherwise. */
export async function addTestConnector(
  context: ServiceContext,
  secrets: SecretBox,
  slapd: Pick<Slapd, "url">,
  options: { name?: string; removeMissing?: boolean; bindPassword?: string } = {},
): Promise<void> {
  await addConnector(context, secrets, {
    name: options.name ?? "corp",
    type: "ldap",
    url: slapd.url,
    bindDn: ROOT_DN,
    bindPassword: options.bindPassword ?? ROOT_PASSWORD,
    baseDn: SUFFIX,
    removeMissing: options.removeMissing,
  });
}
