import type { AppError } from "../errors/app-error.js";
import type { ErrorCode } from "../errors/codes.js";

/**
 * What to type at the command line to fix a refusal. Services word their messages for every door (CLI,
 * console, API); only the CLI knows its flags, so it adds them here.
 */
const HINTS: Partial<Record<ErrorCode, (details: AppError["details"]) => string | undefined>> = {
  account_required: () => "Use --account CODE.",
  // Without a code: the directory has no account at all yet.
  account_not_found: (details) => (details.code === undefined ? "Run mailroster init." : undefined),
  // The import's default importer (the account's first Super Administrator) is missing.
  user_not_found: (details) =>
    details.account !== undefined && details.address === undefined ? "Name one with --as EMAIL." : undefined,
  account_kind_invalid: (details) =>
    details.kind === "grouping" || details.kind === "mail-processing" ? "Use --parent CODE." : undefined,
};

/** The error's message, followed by the CLI's hint when it has one. */
export function describeForCli(error: AppError): string {
  const hint = HINTS[error.code]?.(error.details);
  return hint === undefined ? error.message : `${error.message} ${hint}`;
}
