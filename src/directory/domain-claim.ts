/**
 * Who may hold a domain. A domain, its parent domains and its subdomains all belong to one account tree
 * (a top-level account and everything nested under it): within a tree they may nest (acme.test in the master,
 * eu.acme.test in a mail-processing account under it); across trees they may not, or one customer could take
 * mail for names under another's domain. Pure: the caller loads the claims that could conflict.
 */

/** The names a claim on `domain` could conflict with by nesting: each parent label suffix of two labels or more. */
export function listParentDomains(domain: string): string[] {
  const labels = domain.split(".");
  const parents: string[] = [];
  // A domain has at least two labels (normalizeDomain), so a bare top-level label is never held.
  for (let i = 1; i <= labels.length - 2; i++) parents.push(labels.slice(i).join("."));
  return parents;
}

/** A held domain, with the top-most account of the tree that holds it (undefined: the walk could not tell). */
export interface DomainClaim {
  readonly name: string;
  readonly rootAccountId: string | undefined;
}

export type DomainConflict =
  /** The very name is already an internal domain (of any account). */
  | { readonly kind: "taken" }
  /** A parent domain or a subdomain is held by another account tree. */
  | { readonly kind: "held_elsewhere" };

/**
 * Whether `domain` may be added to an account of the tree whose top-most account is `rootAccountId`,
 * given the claims on the same name, its parents and its subdomains. A claim whose tree is unknown counts as
 * another tree's: refusing is the safe side.
 */
export function findDomainConflict(
  domain: string,
  rootAccountId: string,
  claims: readonly DomainClaim[],
): DomainConflict | undefined {
  if (claims.some((claim) => claim.name === domain)) return { kind: "taken" };
  const nests = (claim: DomainClaim): boolean =>
    domain.endsWith(`.${claim.name}`) || claim.name.endsWith(`.${domain}`);
  const elsewhere = claims.some((claim) => nests(claim) && claim.rootAccountId !== rootAccountId);
  return elsewhere ? { kind: "held_elsewhere" } : undefined;
}
