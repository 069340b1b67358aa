import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorCode } from "../errors/codes.js";

// The one mapping from error code to HTTP status. Errors carry codes, never statuses; anything not listed is
// the client's mistake (400).
const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  permission_denied: 403,
  protected_role_required: 403,
  account_not_found: 404,
  user_not_found: 404,
  group_not_found: 404,
  connector_not_found: 404,
  domain_not_found: 404,
  route_not_found: 404,
  account_code_taken: 409,
  domain_taken: 409,
  address_taken: 409,
  connector_name_taken: 409,
  database_unreachable: 503,
  ldap_unreachable: 502,
  ldap_tls_failed: 502,
  ldap_bind_failed: 502,
  ldap_search_failed: 502,
  secret_key_missing: 500,
  secret_key_invalid: 500,
  secret_undecryptable: 500,
  internal_error: 500,
};

export function httpStatusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code] ?? 400;
}
