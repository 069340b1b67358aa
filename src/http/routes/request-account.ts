import type { Principal } from "../../services/auth-service.js";

/**
 * The account a request acts in: the one it names (`account` in its query or body), else the caller's own.
 * The services check that the caller may act there.
 */
export function requestAccount(
  named: { readonly account?: string | undefined },
  principal: Principal | undefined,
): string | undefined {
  return named.account ?? principal?.accountCode;
}
