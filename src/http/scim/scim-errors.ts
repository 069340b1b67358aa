import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, isAppError } from "../../errors/app-error.js";
import type { ErrorCode } from "../../errors/codes.js";
import { ERROR_MESSAGE } from "../../scim/scim-urns.js";
import { statusOfError } from "../error-status.js";

/** RFC 7644 Table 9's scimType of our codes; a code without one keeps the API's status and no scimType. */
const SCIM_TYPES: Partial<Record<ErrorCode, string>> = {
  scim_filter_invalid: "invalidFilter",
  scim_path_invalid: "invalidPath",
  scim_value_invalid: "invalidValue",
  scim_syntax_invalid: "invalidSyntax",
  request_invalid: "invalidSyntax",
  scim_no_target: "noTarget",
  scim_mutability: "mutability",
  scim_uniqueness: "uniqueness",
  address_taken: "uniqueness",
  address_invalid: "invalidValue",
  domain_not_internal: "invalidValue",
  user_name_invalid: "invalidValue",
  attribute_name_invalid: "invalidValue",
  attribute_looks_secret: "invalidValue",
  attribute_value_too_long: "invalidValue",
  alias_limit_exceeded: "invalidValue",
  group_path_invalid: "invalidValue",
  note_invalid: "invalidValue",
  password_weak: "invalidValue",
  password_too_short: "invalidValue",
  password_too_long: "invalidValue",
  password_needs_upper: "invalidValue",
  password_needs_lower: "invalidValue",
  password_needs_digit: "invalidValue",
  password_needs_symbol: "invalidValue",
  password_needs_classes: "invalidValue",
  password_too_common: "invalidValue",
  password_reused: "invalidValue",
};

export interface ScimErrorReply {
  readonly status: ContentfulStatusCode;
  readonly scimType: string | undefined;
  readonly code: ErrorCode;
  readonly body: Record<string, unknown>;
}

/** Any error as the SCIM error message (RFC 7644 3.12); our code rides along for scripts and the console. */
export function scimErrorOf(error: unknown): ScimErrorReply {
  const known = isAppError(error) ? error : undefined;
  if (!known) console.error("mailroster: unexpected SCIM error", error);
  const appError = known ?? new AppError("internal_error", "Something went wrong on the server.", {});
  const scimType = SCIM_TYPES[appError.code];
  // Every scimType is a 400 in RFC 7644 Table 9 but uniqueness, a 409.
  const status =
    scimType === undefined ? statusOfError(appError.code) : scimType === "uniqueness" ? 409 : 400;
  return {
    status,
    scimType,
    code: appError.code,
    body: {
      schemas: [ERROR_MESSAGE],
      status: String(status),
      ...(scimType === undefined ? {} : { scimType }),
      detail: appError.message,
      mailroster: { code: appError.code, details: appError.details },
    },
  };
}
