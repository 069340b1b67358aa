/**
 * The one registry of error codes. Every error a user can cause carries one of these stable snake_case
 * codes; tests and scripts rely on them, so a code never changes meaning once landed. Domain errors carry
 * no HTTP status: the HTTP adapter maps codes to statuses in one place.
 */
export const ERROR_CODES = {
  // Reading a spreadsheet file.
  file_empty: "The file is empty.",
  file_too_large: "The file is larger than the configured limit.",
  file_encrypted: "The workbook is protected with a password (encrypted).",
  file_biff_too_old: "The workbook is in an Excel format older than Excel 97 (BIFF2 to BIFF4).",
  file_not_xls: "The file is not an Excel 97-2003 workbook; it is another format saved under an .xls name.",
  file_corrupt: "The file is damaged or truncated and cannot be read.",
  file_no_worksheet: "The workbook holds no worksheet.",

  // Command line.
  usage: "The command was called with wrong arguments.",
  file_unreadable: "The file could not be opened.",

  // Database.
  database_url_invalid: "The database URL is not postgres://..., sqlite:PATH, pglite:DIR or a file path.",
  database_unreachable: "The database could not be opened or reached.",

  // Accounts and internal domains.
  account_not_found: "No account has that code.",
  account_code_invalid: "An account code is 2 to 32 letters, digits, '-' or '_'.",
  account_code_taken: "Another account already has that code.",
  account_name_invalid: "An account name must not be empty.",
  account_kind_invalid: "That account kind cannot be created there.",
  account_parent_invalid: "That account cannot hold nested accounts.",
  account_required: "Several accounts exist: name one with --account CODE.",
  domain_invalid: "That is not a valid domain name.",
  domain_taken: "That domain is already an internal domain.",
  domain_not_internal: "The address's domain is not an internal domain of the account.",
  recipient_validation_invalid: "Recipient validation is accept-all, known-recipients or directory-users.",

  // Users, aliases, attributes, notes.
  address_invalid: "That is not a valid e-mail address.",
  address_taken: "That address is already a primary address or an alias.",
  user_not_found: "No user has that address.",
  user_name_invalid: "A user's name must not be empty and at most 200 characters.",
  user_type_invalid: "A user's type is directory, imported or manual.",
  attribute_name_invalid: "A custom attribute name must not be empty and at most 100 characters.",
  note_invalid: "A note must not be empty and at most 100 characters.",

  // Profile groups.
  group_path_invalid: "A group path is folder names separated by '/', none empty.",
  group_not_found: "No profile group has that path.",

  // Administrator roles and permissions.
  role_unknown: "No administrator role has that name.",
  role_not_available: "That role exists only on master accounts.",
  permission_denied: "The administrator's roles do not allow this.",
  protected_role_required:
    "Only a holder of a protected role may change this for a holder of a protected role.",

  // Passwords and the password policy.
  password_weak: "The password breaks the account's password policy.",
  password_too_short: "The password is shorter than the policy's minimum length.",
  password_too_long: "The password is longer than 256 characters.",
  password_needs_upper: "The password needs an upper-case letter.",
  password_needs_lower: "The password needs a lower-case letter.",
  password_needs_digit: "The password needs a digit.",
  password_needs_symbol: "The password needs a symbol.",
  password_needs_classes: "The password needs more kinds of characters (upper, lower, digit, symbol).",
  password_too_common: "The password is one of the most common passwords.",
  password_reused: "The password was used recently.",
  policy_invalid: "The password policy values are out of range.",

  // Console and API.
  request_invalid: "The request does not match the API's schema.",
  route_not_found: "There is no such endpoint.",
  not_signed_in: "Sign in, or send a valid API token.",
  sign_in_failed: "The email or password is wrong.",
  account_locked: "The user is locked out after too many failed sign-ins, or by an administrator.",
  password_change_required: "Set a new password before doing anything else.",
  password_incorrect: "The current password is wrong.",
  csrf_failed: "The request lacks this session's CSRF token, or comes from another site.",
  rate_limited: "Too many sign-in attempts: wait a minute and try again.",
  api_token_not_found: "No API token has that id in the account.",
  request_too_large: "The request body is larger than the API accepts.",
  internal_error: "Something went wrong on the server; the details are in its log.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
