import { AppError } from "../errors/app-error.js";
import type { RecipientValidation } from "./account.js";
import type { UserType } from "./user.js";

/** What an account answers for an address its domain's mode does not accept. */
export type UnknownRecipientAction = "defer" | "reject";
export const DEFAULT_UNKNOWN_ACTION: UnknownRecipientAction = "defer";

export function parseUnknownRecipientAction(text: string): UnknownRecipientAction {
  if (text === "defer" || text === "reject") return text;
  throw new AppError("unknown_recipient_action_invalid", `"${text}" is neither defer nor reject.`, {
    action: text,
  });
}

export type Verdict = "accept" | "defer" | "reject";

export interface RecipientVerdict {
  readonly verdict: Verdict;
  readonly smtpCode: 250 | 451 | 550;
  /** RFC 3463 enhanced status code for the SMTP reply. */
  readonly enhancedCode: "2.1.5" | "4.1.1" | "5.1.1";
}

const ACCEPT: RecipientVerdict = { verdict: "accept", smtpCode: 250, enhancedCode: "2.1.5" };
const DEFER: RecipientVerdict = { verdict: "defer", smtpCode: 451, enhancedCode: "4.1.1" };
const REJECT: RecipientVerdict = { verdict: "reject", smtpCode: 550, enhancedCode: "5.1.1" };

/** The domain an address is in, as the recipient check needs it. */
export interface DomainPolicy {
  readonly mode: RecipientValidation;
  readonly unknownAction: UnknownRecipientAction;
}

/**
 * The verdict for one address. `domain` undefined: not an internal domain, so we are not its destination
 * (the gateway does not relay), which is a permanent refusal. `userType`: the type of the user holding the
 * address as primary or alias, or undefined when nobody does.
 */
export function decideRecipient(
  domain: DomainPolicy | undefined,
  userType: UserType | undefined,
): RecipientVerdict {
  if (!domain) return REJECT;
  const known = (() => {
    switch (domain.mode) {
      case "accept-all":
        return true;
      case "known-recipients":
        return userType !== undefined;
      case "directory-users":
        return userType === "directory";
    }
  })();
  if (known) return ACCEPT;
  return domain.unknownAction === "defer" ? DEFER : REJECT;
}
