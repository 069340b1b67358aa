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
  file_too_complex: "Reading the file took more time or memory than the server allows for one upload.",

  // Command line.
  usage: "The command was called with wrong arguments.",
  file_unreadable: "The file could not be opened.",

  // Database.
  database_url_invalid: "The database URL is not postgres://..., sqlite:PATH, pglite:DIR or a file path.",
  database_unreachable: "The database could not be opened or reached.",

  // Lists.
  cursor_invalid: "The list cursor is damaged or belongs to another order: start again from the first page.",

  // Accounts and internal domains.
  account_not_found: "No account has that code.",
  account_code_invalid: "An account code is 2 to 32 letters, digits, '-' or '_'.",
  account_code_taken: "Another account already has that code.",
  account_name_invalid: "An account name must not be empty.",
  account_kind_invalid: "That account kind cannot be created there.",
  account_parent_invalid: "That account cannot hold nested accounts.",
  account_required: "Several accounts exist: name the account.",
  domain_invalid: "That is not a valid domain name.",
  domain_taken: "That domain is already an internal domain.",
  domain_held_elsewhere: "A parent domain or a subdomain of that domain belongs to another account tree.",
  domain_not_internal: "The address's domain is not an internal domain of the account.",
  recipient_validation_invalid: "Recipient validation is accept-all, known-recipients or directory-users.",

  // Users, aliases, attributes, notes.
  address_invalid: "That is not a valid e-mail address.",
  address_taken: "That address is already a primary address or an alias.",
  user_not_found: "No user has that address.",
  user_name_invalid: "A user's name must not be empty and at most 200 characters.",
  user_type_invalid: "A user's type is directory, imported or manual.",
  attribute_name_invalid: "A custom attribute name must not be empty and at most 100 characters.",
  attribute_looks_secret:
    "The attribute's name reads like a password: attributes are plain text, so it is refused. Rename it.",
  attribute_value_too_long: "An attribute value is at most 1,000 characters.",
  alias_limit_exceeded: "A user holds at most ten aliases, counting those already stored.",
  role_outranks_actor: "The user (or the role) is above the administrator's own roles.",
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

  // Import.
  import_not_found: "No import has that id.",
  import_not_previewed:
    "Only a user import's clean preview can be saved this way: preview the file and correct its errors first.",
  import_not_running:
    "The import is not running (it is already saved, failed or a finished preview): nothing to cancel.",
  import_file_expired: "The previewed file is no longer kept (uploads are kept 7 days): upload it again.",
  import_results_unavailable:
    "The import has no results file: it is still running, is not a user import, or its upload was pruned after 7 days.",
  delegates_export_too_large:
    "More delegate pairs match than one .xls sheet holds (65,535): export one Primary Address at a time.",

  // Directory synchronisation and recipient validation.
  connector_name_invalid: "A connector name must be 1 to 100 characters.",
  connector_name_taken: "The account already has a connector with that name.",
  connector_not_found: "No connector has that name.",
  connector_type_invalid: "A connector type is ldap (OpenLDAP defaults) or active-directory.",
  connector_url_invalid: "A connector URL is ldap://HOST[:PORT] or ldaps://HOST[:PORT].",
  connector_setting_invalid: "A connector setting (bind DN, base DN, filter or CA file) is missing or wrong.",
  connector_limit_reached: "An account holds at most 100 connectors.",
  sync_run_not_found: "No Sync All run has that id.",
  sync_run_lease_lost:
    "The Sync All run was marked failed while it ran (its server's heartbeat was missed); nothing was written.",
  sync_already_running:
    "Sync All of this account is already running (on this or another server, or from the command line); wait for it to end.",
  secret_key_missing: "MAILROSTER_SECRET_KEY is not set: it encrypts connector passwords at rest.",
  secret_key_invalid: "MAILROSTER_SECRET_KEY must be 32 bytes, as 64 hex digits or base64.",
  secret_undecryptable: "A stored secret cannot be decrypted with MAILROSTER_SECRET_KEY (wrong key?).",
  ldap_unreachable: "The LDAP server could not be reached.",
  ldap_tls_failed: "The TLS handshake with the LDAP server failed (certificate or CA?).",
  ldap_bind_failed: "The LDAP server refused the bind DN and password.",
  ldap_search_failed: "The LDAP search failed (base DN or filter?).",
  domain_not_found: "No internal domain has that name.",
  unknown_recipient_action_invalid: "The action for unknown recipients is defer or reject.",
  route_not_found: "No API route has that method and path.",
  internal_error: "The server failed to answer; the details are in its log.",

  // Console and API.
  request_invalid: "The request does not match the API's schema.",
  not_signed_in: "Sign in, or send a valid API token.",
  token_not_allowed: "An API token may not do this: sign in to the console.",
  sign_in_failed:
    "Sign-in failed: the email or password is wrong, or the user may not sign in (no administrator role, or locked).",
  password_change_required: "Set a new password before doing anything else.",
  password_incorrect: "The current password is wrong.",
  csrf_failed: "The request lacks this session's CSRF token, or comes from another site.",
  rate_limited: "Too many sign-in attempts: wait a minute and try again.",
  api_token_not_found: "No API token has that id in the account.",
  request_too_large: "The request body is larger than the API accepts.",
  upload_not_multipart: "Send the upload as multipart/form-data.",
  upload_malformed: "The multipart/form-data body is malformed (boundary or part headers).",
  upload_too_many_parts:
    "The upload has more than one file, or more or other fields than the endpoint takes.",
  upload_field_too_long: "A text field of the upload is longer than the endpoint allows.",
  upload_file_missing: "The upload has no file part named `file`.",
  upload_file_type_invalid: "The uploaded file is not declared as an Excel 97-2003 workbook (.xls).",

  // SCIM 2.0 provisioning (/scim/v2): each maps to a scimType in http/scim/scim-errors.ts.
  // The OpenID Connect provider (/oidc) and its clients.
  oidc_client_not_found: "No OpenID Connect client has that id in your accounts.",
  oidc_client_name_invalid: "A client name must be 1 to 100 characters.",
  oidc_redirect_uri_invalid:
    "A redirect URI is an absolute http(s) URL without a fragment (http only for localhost or 127.0.0.1); give 1 to 20.",
  oidc_unavailable: "OpenID Connect is off until MAILROSTER_SECRET_KEY is set (it seals the signing keys).",

  scim_filter_invalid: "The SCIM filter is not valid (RFC 7644 3.4.2.2), too long or too deeply nested.",
  scim_path_invalid: "The PATCH path is not valid (RFC 7644 3.5.2) or names no attribute of the resource.",
  scim_value_invalid: "A SCIM value is missing, of the wrong type, or not one the directory can keep.",
  scim_syntax_invalid: "The SCIM request body is not the message the endpoint takes.",
  scim_no_target: "The PATCH path matches no value to change.",
  scim_mutability: "The SCIM attribute is read-only or immutable.",
  scim_resource_not_found: "No SCIM resource has that id (within the token's reach).",
  scim_uniqueness: "Another resource already has that userName, address or displayName.",
  scim_bulk_too_large: "The Bulk request has more operations, or more bytes, than the server takes.",
  scim_rate_limited: "Too many SCIM requests with this token: wait and retry.",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes that are only ever reported as data, never thrown: an import's cell issues and Sync All's skipped
 * entries. They carry no HTTP status (the reply that holds them has its own); the thrown codes above may be
 * reported too (an unreadable file, a rule the rulebook refuses at a cell).
 */
export const ISSUE_CODES = {
  checkpoint_not_found: "No cell within A1:M99 of any worksheet holds the header `email`.",
  checkpoint_near_miss: "A cell looks like the `email` header but is not exactly `email` within A1:M99.",
  header_name_missing: "The header directly right of `email` must be `name`.",
  header_password_misplaced: "A `password` header may only stand directly right of `name`.",
  header_near_miss: "A header differs from a known header only in case or spacing.",
  header_alias_out_of_range: "Alias headers are alias1 to alias10.",
  header_duplicate: "A header appears twice in the header row.",
  header_gap_ignored: "Cells right of the first empty header cell are ignored.",
  attribute_will_be_created: "A header names no attribute of the account yet: saving the file creates it.",
  row_email_missing: "A row holds data but no email.",
  email_invalid: "The email cell is not a valid address (no spaces, no quotes).",
  email_duplicate: "The address appears earlier in the file.",
  name_required: "A new user needs a name.",
  yes_no_invalid: "A yes/no cell holds something other than true/false, yes/no, y/n or 1/0.",
  alias_invalid: "An alias is not a valid address.",
  alias_is_primary: "An alias repeats the row's own email.",
  alias_duplicate: "The alias appears earlier in the file.",
  alias_taken: "The alias belongs to another user.",
  remote_account_not_allowed:
    "Only a Master or Migration Administrator on a master account may use remoteaccountcode.",
  remote_account_invalid: "remoteaccountcode must name an account nested under the importing account.",
  admin_role_not_allowed: "Only a Master Administrator on a master account may use adminrole.",
  import_no_rows: "The sheet holds no data rows below the header.",
  users_become_imported: "Directory users touched by the import become manually imported users.",
  group_members_removed: "Overwrite removes from the group the members the file does not name.",
  import_failed: "The import failed while it was being saved.",
  import_conflict:
    "While the import was saving, another change took an address or key it was about to write; nothing was written.",
  import_interrupted: "The server stopped while the import was running; nothing was written.",
  import_cancelled: "The import was cancelled before it was saved; nothing was written.",
  import_changed_since_preview:
    "The directory changed since the preview, so the save would do something else than it showed; nothing was written.",
  delegate_header_missing: "The header directly right of `primary` must be `delegate`.",
  delegate_address_missing: "A delegate row holds data but lacks its primary or delegate address.",
  delegate_action_invalid: "An action cell holds something other than add or remove.",
  delegate_user_not_found: "The address is neither a primary address nor an alias of a user of the account.",
  delegate_self: "A user cannot be their own delegate.",
  delegate_duplicate: "The delegate pair appears earlier in the file.",
  header_ignored: "A header the sheet's format does not know; its column is ignored.",
  sync_entry_no_id: "A directory entry has no immutable id (entryUUID / objectGUID).",
  sync_entry_no_address: "A directory entry has no usable primary e-mail address.",
  sync_entry_duplicate: "Two directory entries claim the same immutable id or address.",
  sync_address_conflict: "A directory entry's address belongs to a user the sync may not take over.",
  sync_connectors_failed: "Sync All failed: no connector could be read, so nothing was changed.",
  sync_failed: "Sync All stopped on a server error; nothing was written.",
  sync_interrupted: "The server stopped while Sync All was running; nothing was written.",
} as const;

/** A code an issue or a skipped entry carries: one of its own, or a thrown code reported at a cell. */
export type IssueCode = keyof typeof ISSUE_CODES | ErrorCode;
