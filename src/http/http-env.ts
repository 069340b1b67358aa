import type { PasswordHasher } from "../adapters/password-hasher.js";
import type { ImportRunner } from "../jobs/import-runner.js";
import type { SyncRunner } from "../jobs/sync-runner.js";
import type { Principal } from "../services/auth-service.js";
import type { RecipientIndex } from "../services/recipient-index.js";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { OidcHost } from "./oidc/oidc-host.js";
import type { RateLimiter } from "./rate-limit.js";

/** What the server is built from; tests pass their own database and clock. */
export interface AppDependencies {
  readonly db: Kysely<Database>;
  readonly hasher: PasswordHasher;
  readonly isCommonPassword: (password: string) => boolean;
  readonly now: () => Date;
  /**
   * Always set the session cookie's Secure flag (`serve --secure-cookies`). Without it the flag follows the
   * request: set over https (TLS here, or at a trusted proxy), not over http://127.0.0.1, where browsers
   * would drop the cookie.
   */
  readonly secureCookies?: boolean | undefined;
  /**
   * A reverse proxy in front sets X-Forwarded-Proto (`serve --trust-proxy`); without this the header is
   * ignored, since any client can send it.
   */
  readonly trustProxy?: boolean | undefined;
  /** The folder holding the console's files (web/). */
  readonly webRoot?: string | undefined;
  /** Recipient verdicts from memory, for GET /recipients/{address}; the route is absent without it. */
  readonly recipients?: RecipientIndex | undefined;
  /** Sign-in attempts: per client address and per e-mail address. */
  readonly signInLimiter?: RateLimiter | undefined;
  /** SCIM requests per API token (a Bulk counts each operation). */
  readonly scimLimiter?: RateLimiter | undefined;
  /** Imports: the upload limit, the sheet worker and the background saves (a default one when absent). */
  readonly imports?: ImportRunner | undefined;
  /** The OpenID Connect provider at /oidc (`serve` with MAILROSTER_SECRET_KEY); absent, /oidc answers 503. */
  readonly oidc?: OidcHost | undefined;
  /** Sync All in the background and the connectors' secret key (a runner without a key when absent). */
  readonly sync?: SyncRunner | undefined;
}

/** How the caller proved who they are, set by the auth middleware for the request. */
export type Authentication =
  | {
      readonly via: "session";
      readonly principal: Principal;
      readonly sessionId: string;
      readonly secret: string;
    }
  | {
      readonly via: "token";
      readonly principal: Principal;
      /** The token, whose account bounds what the request may reach. */
      readonly token: { readonly id: string; readonly accountId: string };
    };

export interface AppEnv {
  Variables: {
    deps: AppDependencies;
    auth: Authentication | undefined;
  };
}
