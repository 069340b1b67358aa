import type { Permission } from "./roles.js";

/**
 * The rules of delegate mailbox access: the Primary Address is the user who gains access, the Delegate
 * Address the mailbox they may open. Every door (the import, the API, the CLI) asks these; pure.
 */

/** The sheet's checkpoint header, found like `email` (case sensitive, anywhere in A1:M99). */
export const DELEGATE_CHECKPOINT = "primary";
/** The header that must stand directly right of the checkpoint. */
export const DELEGATE_HEADER = "delegate";
/** The optional column saying what to do with the pair. */
export const ACTION_HEADER = "action";

export const DELEGATE_ACTIONS = ["add", "remove"] as const;
export type DelegateAction = (typeof DELEGATE_ACTIONS)[number];

/** The permission a delegate import needs (preview and save): Full, Super and Master Administrator hold it. */
export const DELEGATE_PERMISSION: Permission = "manage_delegates";

/** An action cell: empty means `add`; `add` or `remove` in any case; undefined for anything else. */
export function parseDelegateAction(text: string): DelegateAction | undefined {
  const word = text.trim().toLowerCase();
  if (word === "") return "add";
  return (DELEGATE_ACTIONS as readonly string[]).includes(word) ? (word as DelegateAction) : undefined;
}

/**
 * The text of an address cell. A cell we wrote ourselves (an export) carries a leading quote when its text
 * starts like a formula (sheet/formula-guard.ts): read back, it is the address again, so export -> edit ->
 * import round-trips.
 */
export function addressCellText(text: string): string {
  const trimmed = text.trim();
  return /^'[=+\-@]/.test(trimmed) ? trimmed.slice(1) : trimmed;
}

/** Both users as the import resolved them (primary address or alias), by user id and account. */
export interface DelegateParty {
  readonly userId: string;
  readonly accountId: string;
}

export type DelegatePairViolation = "delegate_user_not_found" | "delegate_self";

/**
 * Why a pair cannot be stored, for each side: a side that resolves to no user, or to a user of another
 * account, is not found (the same answer either way, so the file is no oracle of other accounts); a user
 * cannot be their own delegate.
 */
export function checkDelegatePair(
  accountId: string,
  primary: DelegateParty | undefined,
  delegate: DelegateParty | undefined,
): { primary?: DelegatePairViolation; delegate?: DelegatePairViolation } {
  const found = (party: DelegateParty | undefined): party is DelegateParty =>
    party !== undefined && party.accountId === accountId;
  const violations: { primary?: DelegatePairViolation; delegate?: DelegatePairViolation } = {};
  if (!found(primary)) violations.primary = "delegate_user_not_found";
  if (!found(delegate)) violations.delegate = "delegate_user_not_found";
  if (found(primary) && found(delegate) && primary.userId === delegate.userId) {
    violations.delegate = "delegate_self";
  }
  return violations;
}

/** What an action does to a pair: adding one that exists or removing one that does not changes nothing. */
export function delegateChange(action: DelegateAction, exists: boolean): DelegateAction | "unchanged" {
  if (action === "add") return exists ? "unchanged" : "add";
  return exists ? "remove" : "unchanged";
}

/** One key per (user, delegate) pair, for finding a pair repeated in a file or stored already. */
export function delegatePairKey(userId: string, delegateUserId: string): string {
  return `${userId} ${delegateUserId}`;
}
