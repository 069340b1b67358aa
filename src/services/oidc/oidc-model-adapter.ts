import type { Kysely } from "kysely";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { SecretBox } from "../../adapters/secret-box.js";
import {
  consumeOidcModel,
  deleteOidcModel,
  deleteOidcModelsByGrant,
  findOidcModel,
  pruneExpiredOidcModels,
  upsertOidcModel,
  type OidcModelRow,
} from "../../store/oidc-models-repository.js";
import type { Database } from "../../store/schema.js";
import { loadOidcClientMetadata } from "./oidc-clients.js";

export interface OidcStoreDependencies {
  readonly db: Kysely<Database>;
  readonly secrets: SecretBox;
  readonly now: () => Date;
  /** Called when pruning fails (it is housekeeping: the request that set it off goes on). */
  readonly onError?: ((error: unknown) => void) | undefined;
}

// Expired rows read as absent at once; deleting them is housekeeping, a bounded batch at most once a minute.
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCH = 1000;

function payloadOf(row: OidcModelRow | undefined): AdapterPayload | undefined {
  if (!row) return undefined;
  const payload = JSON.parse(row.payload) as AdapterPayload;
  return row.consumed_at === null
    ? payload
    : { ...payload, consumed: Math.floor(Date.parse(row.consumed_at) / 1000) };
}

/** A model's storage: every model in oidc_models, clients read from the clients an administrator registered. */
class DatabaseAdapter implements Adapter {
  constructor(
    private readonly model: string,
    private readonly deps: OidcStoreDependencies,
    private readonly prune: () => void,
  ) {}

  private nowIso(): string {
    return this.deps.now().toISOString();
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    // Clients are registered through the CLI, the API or the console, never by the provider.
    if (this.model === "Client") return;
    const expiresAt =
      expiresIn === undefined ? null : new Date(this.deps.now().getTime() + expiresIn * 1000).toISOString();
    await upsertOidcModel(this.deps.db, {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      uid: payload.uid ?? null,
      user_code: payload.userCode ?? null,
      expires_at: expiresAt,
      consumed_at: null,
    });
    this.prune();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.model === "Client") {
      return loadOidcClientMetadata(this.deps.db, this.deps.secrets, id);
    }
    return payloadOf(await findOidcModel(this.deps.db, this.model, { id }, this.nowIso()));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return payloadOf(await findOidcModel(this.deps.db, this.model, { uid }, this.nowIso()));
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return payloadOf(await findOidcModel(this.deps.db, this.model, { userCode }, this.nowIso()));
  }

  async consume(id: string): Promise<void> {
    await consumeOidcModel(this.deps.db, this.model, id, this.nowIso());
  }

  async destroy(id: string): Promise<void> {
    if (this.model === "Client") return;
    await deleteOidcModel(this.deps.db, this.model, id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await deleteOidcModelsByGrant(this.deps.db, grantId);
  }
}

/** oidc-provider's `adapter` option: one adapter per model, sharing the database and the pruning clock. */
export function createOidcAdapterFactory(deps: OidcStoreDependencies): (model: string) => Adapter {
  let lastPrune = 0;
  const prune = (): void => {
    const now = deps.now();
    if (now.getTime() - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now.getTime();
    pruneExpiredOidcModels(deps.db, now.toISOString(), PRUNE_BATCH).catch((error: unknown) => {
      deps.onError?.(error);
    });
  };
  return (model) => new DatabaseAdapter(model, deps, prune);
}
