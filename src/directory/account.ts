import { AppError } from "../errors/app-error.js";

/** Advanced Account Administration: a master holds grouping and mail-processing accounts; a standalone holds none. */
export type AccountKind = "standalone" | "master" | "grouping" | "mail-processing";
export const ACCOUNT_KINDS: readonly AccountKind[] = ["standalone", "master", "grouping", "mail-processing"];

export type RecipientValidation = "accept-all" | "known-recipients" | "directory-users";
export const RECIPIENT_VALIDATIONS: readonly RecipientValidation[] = [
  "accept-all",
  "known-recipients",
  "directory-users",
];

const CODE = /^[A-Za-z0-9_-]{2,32}$/;

/** Returns the code as written and its case-insensitive key. */
export function parseAccountCode(text: string): { code: string; key: string } {
  const code = text.trim();
  if (!CODE.test(code)) {
    throw new AppError("account_code_invalid", `"${text}" is not a valid account code.`, { code: text });
  }
  return { code, key: code.toLowerCase() };
}

export function parseAccountName(text: string): string {
  const name = text.trim();
  if (name.length === 0 || name.length > 200) {
    throw new AppError("account_name_invalid", "An account name must be 1 to 200 characters.", {
      name: text,
    });
  }
  return name;
}

export function parseAccountKind(text: string): AccountKind {
  const kind = ACCOUNT_KINDS.find((k) => k === text);
  if (!kind) throw new AppError("account_kind_invalid", `"${text}" is not an account kind.`, { kind: text });
  return kind;
}

export function parseRecipientValidation(text: string): RecipientValidation {
  const mode = RECIPIENT_VALIDATIONS.find((m) => m === text);
  if (!mode) {
    throw new AppError("recipient_validation_invalid", `"${text}" is not a recipient-validation mode.`, {
      mode: text,
    });
  }
  return mode;
}

/**
 * Which kinds may sit under which: masters hold grouping and mail-processing accounts, grouping accounts hold
 * more of either; mail-processing and standalone accounts hold none (a standalone becomes a master first).
 */
export function mayNest(parent: AccountKind, child: AccountKind): boolean {
  if (child !== "grouping" && child !== "mail-processing") return false;
  return parent === "master" || parent === "grouping" || parent === "standalone";
}
