import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../errors/app-error.js";

/** Encrypts secrets at rest (connector bind passwords) with AES-256-GCM. */
export interface SecretBox {
  /** `context` (e.g. the connector id) is bound as associated data: a ciphertext moved to another row fails. */
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

const VERSION = "v1";

/** The 32-byte key from MAILROSTER_SECRET_KEY, as 64 hex digits or base64; refuses when missing or short. */
export function loadSecretKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const text = env.MAILROSTER_SECRET_KEY?.trim();
  if (text === undefined || text.length === 0) {
    throw new AppError("secret_key_missing", "Set MAILROSTER_SECRET_KEY (32 bytes, hex or base64).", {});
  }
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) {
    throw new AppError("secret_key_invalid", "MAILROSTER_SECRET_KEY must decode to 32 bytes.", {});
  }
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(sealed, context) {
      const refuse = (): AppError =>
        new AppError("secret_undecryptable", "A stored secret cannot be decrypted with this key.", {});
      if (!sealed.startsWith(`${VERSION}:`)) throw refuse();
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), "base64");
      if (raw.length < 28) throw refuse();
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        // GCM authentication failed: a wrong key or a tampered value; both mean "cannot decrypt".
        throw refuse();
      }
    },
  };
}
