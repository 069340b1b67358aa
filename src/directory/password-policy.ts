import { AppError } from "../errors/app-error.js";

/** "Password Complexity and Expiration", per account. */
export interface PasswordPolicy {
  readonly minLength: number;
  readonly requireUpper: boolean;
  readonly requireLower: boolean;
  readonly requireDigit: boolean;
  readonly requireSymbol: boolean;
  /** At least this many of the four classes (upper, lower, digit, symbol); 0 turns the rule off. */
  readonly minClasses: number;
  readonly refuseCommon: boolean;
  /** 0 means passwords never expire. */
  readonly maxAgeDays: number;
  /** How many previous passwords may not be reused; 0 turns the rule off. */
  readonly history: number;
  /** Lock the user out after this many failed logons; 0 never locks. */
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  requireUpper: false,
  requireLower: false,
  requireDigit: false,
  requireSymbol: false,
  minClasses: 3,
  refuseCommon: true,
  maxAgeDays: 0,
  history: 0,
  // On by default: 10 consecutive failures lock the user for 30 minutes. 10 is Microsoft's security baseline
  // and Entra's smart lockout threshold (NIST SP 800-63B 5.2.2 allows up to 100); 30 minutes is above the
  // baseline's and CIS's 15-minute minimum. Together with the per-client rate limit that bounds online
  // guessing to 480 tries a day per user, while a user who mistypes a few times is never locked.
  lockoutThreshold: 10,
  lockoutMinutes: 30,
};

export const MAX_PASSWORD_LENGTH = 256;

export type PasswordRuleCode =
  | "password_too_short"
  | "password_too_long"
  | "password_needs_upper"
  | "password_needs_lower"
  | "password_needs_digit"
  | "password_needs_symbol"
  | "password_needs_classes"
  | "password_too_common";

const LIMITS: Readonly<
  Record<
    "minLength" | "minClasses" | "maxAgeDays" | "history" | "lockoutThreshold" | "lockoutMinutes",
    readonly [number, number]
  >
> = {
  minLength: [1, MAX_PASSWORD_LENGTH],
  minClasses: [0, 4],
  maxAgeDays: [0, 3650],
  history: [0, 24],
  lockoutThreshold: [0, 100],
  lockoutMinutes: [1, 10_080],
};

/** Refuses values out of range with `policy_invalid`, naming the field. */
export function validatePasswordPolicy(policy: PasswordPolicy): PasswordPolicy {
  for (const [field, [min, max]] of Object.entries(LIMITS)) {
    const value = policy[field as keyof typeof LIMITS];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new AppError("policy_invalid", `${field} must be a whole number from ${min} to ${max}.`, {
        field,
      });
    }
  }
  return policy;
}

/** Which of the four classes the password uses; letters beyond ASCII count by their case. */
function countClasses(password: string): { upper: boolean; lower: boolean; digit: boolean; symbol: boolean } {
  return {
    upper: /\p{Lu}/u.test(password),
    lower: /\p{Ll}/u.test(password),
    digit: /\p{Nd}/u.test(password),
    symbol: /[^\p{L}\p{Nd}]/u.test(password),
  };
}

/**
 * Returns every rule the password breaks (empty when it is acceptable). `isCommon` answers whether a password
 * is on the shipped list of common passwords; it is injected so this stays free of I/O.
 */
export function checkPassword(
  policy: PasswordPolicy,
  password: string,
  isCommon: (password: string) => boolean,
): PasswordRuleCode[] {
  const broken: PasswordRuleCode[] = [];
  const length = Array.from(password).length;
  if (length < policy.minLength) broken.push("password_too_short");
  if (length > MAX_PASSWORD_LENGTH) broken.push("password_too_long");
  const classes = countClasses(password);
  if (policy.requireUpper && !classes.upper) broken.push("password_needs_upper");
  if (policy.requireLower && !classes.lower) broken.push("password_needs_lower");
  if (policy.requireDigit && !classes.digit) broken.push("password_needs_digit");
  if (policy.requireSymbol && !classes.symbol) broken.push("password_needs_symbol");
  const used = Object.values(classes).filter(Boolean).length;
  if (used < policy.minClasses) broken.push("password_needs_classes");
  if (policy.refuseCommon && isCommon(password)) broken.push("password_too_common");
  return broken;
}

/** Each rule in force, as people read it beside a password field; `checkPassword` reports the same codes. */
export function describePasswordRules(policy: PasswordPolicy): { code: PasswordRuleCode; text: string }[] {
  const rules: { code: PasswordRuleCode; text: string }[] = [
    { code: "password_too_short", text: `At least ${policy.minLength} characters` },
    { code: "password_too_long", text: `At most ${MAX_PASSWORD_LENGTH} characters` },
  ];
  const classes: [boolean, PasswordRuleCode, string][] = [
    [policy.requireUpper, "password_needs_upper", "An upper-case letter"],
    [policy.requireLower, "password_needs_lower", "A lower-case letter"],
    [policy.requireDigit, "password_needs_digit", "A digit"],
    [policy.requireSymbol, "password_needs_symbol", "A symbol (anything not a letter or digit)"],
  ];
  for (const [on, code, text] of classes) if (on) rules.push({ code, text });
  if (policy.minClasses > 0) {
    rules.push({
      code: "password_needs_classes",
      text: `At least ${policy.minClasses} of: upper-case letters, lower-case letters, digits, symbols`,
    });
  }
  if (policy.refuseCommon) rules.push({ code: "password_too_common", text: "Not a commonly used password" });
  return rules;
}

/** Throws `password_weak` with every broken rule in `details.rules`; the message names them in words. */
export function assertPasswordAcceptable(
  policy: PasswordPolicy,
  password: string,
  isCommon: (password: string) => boolean,
): void {
  const broken = checkPassword(policy, password, isCommon);
  if (broken.length > 0) {
    const text = new Map(describePasswordRules(policy).map((rule) => [rule.code, rule.text]));
    const missing = broken.map((code) => text.get(code) ?? code).join("; ");
    throw new AppError("password_weak", `The password does not meet the policy. It needs: ${missing}.`, {
      rules: broken,
    });
  }
}

/** When a password set at `setAt` expires, or undefined when it never does. */
export function computePasswordExpiry(
  policy: PasswordPolicy,
  setAt: Date,
  neverExpires: boolean,
): Date | undefined {
  if (neverExpires || policy.maxAgeDays === 0) return undefined;
  return new Date(setAt.getTime() + policy.maxAgeDays * 86_400_000);
}
