import { hash, verify } from "@node-rs/argon2";

/** Hashes and verifies cloud passwords; the only place a plain password is turned into something stored. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

/** OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB (19 MiB), t=2, p=1. */
export const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

// `Algorithm` is an ambient const enum, which verbatimModuleSyntax cannot import; 2 is Algorithm.Argon2id.
const ARGON2ID = 2;

export function createArgon2Hasher(): PasswordHasher {
  return {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- the const enum cannot be imported (see ARGON2ID)
    hash: (password) => hash(password, { algorithm: ARGON2ID, ...OWASP_ARGON2ID }),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        // A malformed stored hash verifies nothing.
        return false;
      }
    },
  };
}
