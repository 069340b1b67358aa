import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { SecretBox } from "../../adapters/secret-box.js";
import { listAccounts } from "../../store/accounts-repository.js";
import {
  deleteOidcKeysRetiredBefore,
  insertOidcKey,
  listOidcKeys,
  retireOidcKeys,
  type OidcKeyRow,
} from "../../store/oidc-keys-repository.js";
import type { Executor } from "../../store/schema.js";
import { describeActor, newId, writeAudit, type ServiceContext } from "../context.js";

/** How long an ID token lives (the only thing the provider signs: its other tokens are opaque). */
export const ID_TOKEN_TTL_SECONDS = 3600;
// A retired key stays published while an ID token it signed may still be checked, plus clock skew.
const RETIRED_KEY_KEPT_MS = (ID_TOKEN_TTL_SECONDS + 300) * 1000;

const SIGNING = "signing";
const COOKIE = "cookie";

/** A private RSA key as a JWK, with the fields oidc-provider reads to pick and publish it. */
export interface SigningJwk {
  readonly kid: string;
  readonly kty: string;
  readonly alg: "RS256";
  readonly use: "sig";
  readonly [field: string]: unknown;
}

/** What the provider is built from: the current key first (it signs), then those still published. */
export interface OidcKeySet {
  /** Changes whenever a key is added or retired: the server rebuilds its provider then. */
  readonly version: string;
  readonly signingKeys: readonly SigningJwk[];
  readonly cookieKeys: readonly string[];
}

const contextOf = (id: string): string => `oidc-key:${id}`;

function newSigningRow(secrets: SecretBox, now: Date): OidcKeyRow {
  const id = newId();
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk: SigningJwk = {
    ...privateKey.export({ format: "jwk" }),
    kid: id,
    kty: "RSA",
    alg: "RS256",
    use: "sig",
  };
  return {
    id,
    kind: SIGNING,
    sealed: secrets.seal(JSON.stringify(jwk), contextOf(id)),
    created_at: now.toISOString(),
    retired_at: null,
  };
}

const versionOf = (rows: readonly OidcKeyRow[]): string =>
  rows.map((r) => `${r.id}:${r.retired_at ?? ""}`).join(",");

/** The version of the key set: ids and retirements, read without unsealing anything. */
export async function oidcKeyVersion(db: Executor): Promise<string> {
  return versionOf(await listOidcKeys(db, SIGNING));
}

/** Creates the first signing key and the cookie key when missing (the first start with a secret key). */
export async function ensureOidcKeys(db: Executor, secrets: SecretBox, now: Date): Promise<void> {
  const signing = await listOidcKeys(db, SIGNING);
  if (!signing.some((r) => r.retired_at === null)) await insertOidcKey(db, newSigningRow(secrets, now));
  if ((await listOidcKeys(db, COOKIE)).length === 0) {
    const id = newId();
    const key = randomBytes(32).toString("base64url");
    await insertOidcKey(db, {
      id,
      kind: COOKIE,
      sealed: secrets.seal(key, contextOf(id)),
      created_at: now.toISOString(),
      retired_at: null,
    });
  }
}

/** The keys the provider signs and publishes, unsealed: the current one, then the retired ones still kept. */
export async function loadOidcKeySet(db: Executor, secrets: SecretBox, now: Date): Promise<OidcKeySet> {
  const rows = await listOidcKeys(db, SIGNING);
  const keep = (r: OidcKeyRow): boolean =>
    r.retired_at === null || new Date(r.retired_at).getTime() + RETIRED_KEY_KEPT_MS > now.getTime();
  const current = rows.filter((r) => r.retired_at === null);
  const retired = rows.filter((r) => r.retired_at !== null && keep(r));
  const signingKeys = [...current, ...retired].map(
    (r) => JSON.parse(secrets.open(r.sealed, contextOf(r.id))) as SigningJwk,
  );
  const cookieKeys = (await listOidcKeys(db, COOKIE)).map((r) => secrets.open(r.sealed, contextOf(r.id)));
  return { version: versionOf(rows), signingKeys, cookieKeys };
}

/**
 * Rotates the signing key: a new key becomes current; the old one stays published in the JWKS until the ID
 * tokens it signed have expired; keys retired longer ago go. On the record.
 */
export async function rotateOidcSigningKey(
  context: ServiceContext,
  secrets: SecretBox,
): Promise<{ kid: string; published: number }> {
  const now = context.now();
  const row = newSigningRow(secrets, now);
  await context.db.transaction().execute(async (tx) => {
    await retireOidcKeys(tx, SIGNING, now.toISOString());
    await deleteOidcKeysRetiredBefore(
      tx,
      SIGNING,
      new Date(now.getTime() - RETIRED_KEY_KEPT_MS).toISOString(),
    );
    await insertOidcKey(tx, row);
    // The keys serve every account: the rotation is on each top-level account's record.
    const accounts = (await listAccounts(tx)).filter((a) => a.parent_id === null);
    await writeAudit(
      tx,
      context,
      { name: describeActor(context.actor), roles: "all" },
      accounts.map((a) => ({ accountId: a.id, action: "oidc.key_rotated", after: { kid: row.id } })),
    );
  });
  const set = await loadOidcKeySet(context.db, secrets, now);
  return { kid: row.id, published: set.signingKeys.length };
}
