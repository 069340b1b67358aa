import type { PasswordHasher } from "../adapters/password-hasher.js";
import type { ImportRunner } from "../jobs/import-runner.js";
import type { Principal } from "../services/auth-service.js";
import type { RecipientIndex } from "../services/recipient-index.js";
import type { Kysely } from "kysely";
import type { Database } from "../store/schema.js";
import type { RateLimiter } from "./rate-limit.js";

/** What the server is built from; tests pass their own database and clock. */
export interface AppDependencies {
  readonly db: Kysely<Database>;
  readonly hasher: PasswordHasher;
  readonly isCommonPassword: (password: string) => boolean;
  readonly now: () => Date;
  /** Set the cookie's Secure flag (behind TLS). Off for http://127.0.0.1, where browsers would drop it. */
  readonly secureCookies?: boolean | undefined;
  /** The folder holding the console's files (web/). */
  readonly webRoot?: string | undefined;
  /** Recipient verdicts from memory, for GET /recipients/{address}; the route is absent without it. */
  readonly recipients?: RecipientIndex | undefined;
  /** Sign-in attempts: per client address and per e-mail address. */
  readonly signInLimiter?: RateLimiter | undefined;
  /** Imports: the upload limit, the sheet worker and the background saves (a default one when absent). */
  readonly imports?: ImportRunner | undefined;
}

/** How the caller proved who they are, set by the auth middleware for the request. */
export type Authentication =
  | {
      readonly via: "session";
      readonly principal: Principal;
      readonly sessionId: string;
      readonly secret: string;
    }
  | { readonly via: "token"; readonly principal: Principal };

export interface AppEnv {
  Variables: {
    deps: AppDependencies;
    auth: Authentication | undefined;
  };
}
