/**
 * The account tree (Advanced Account Administration: a master holds grouping and mail-processing accounts,
 * a grouping account holds more). Pure: callers load the links (an ancestor chain, or every account) and ask
 * here. Every walk is bounded by a depth cap and remembers what it visited, so a cycle written to the table
 * by hand ends the walk instead of looping.
 */

/** Deeper than any tree the services build; a walk past it is refused, never looped. */
export const MAX_ACCOUNT_DEPTH = 32;

/** One account as the tree sees it. */
export interface AccountLink {
  readonly id: string;
  readonly parentId: string | null;
}

/**
 * The parent of an account: null for a top-level account, undefined for an account nobody knows (not in
 * the loaded links).
 */
export type ParentLookup = (accountId: string) => string | null | undefined;

/** A lookup over loaded links (an ancestor chain, or every account). */
export function lookUpParentsIn(links: Iterable<AccountLink>): ParentLookup {
  const parents = new Map<string, string | null>();
  for (const link of links) parents.set(link.id, link.parentId);
  return (accountId) => parents.get(accountId);
}

/**
 * The chain from `accountId` up to its top-most ancestor, the account first. Stops at an unknown account, a
 * repeated one (a cycle) or the depth cap; `complete` says whether it reached a top-level account.
 */
export function listAncestry(
  parentOf: ParentLookup,
  accountId: string,
  maxDepth: number = MAX_ACCOUNT_DEPTH,
): { readonly chain: readonly string[]; readonly complete: boolean } {
  const chain: string[] = [];
  const visited = new Set<string>();
  let current: string = accountId;
  for (let depth = 0; depth <= maxDepth; depth++) {
    const parent = parentOf(current);
    if (parent === undefined || visited.has(current)) return { chain, complete: false };
    visited.add(current);
    chain.push(current);
    if (parent === null) return { chain, complete: true };
    current = parent;
  }
  return { chain, complete: false };
}

/**
 * Whether account `accountId` is `ancestorId` or nested (at any depth within the cap) under it. An unknown
 * account is within nothing; a chain cut by a cycle or the cap answers only for what it walked.
 */
export function isWithinAccount(
  parentOf: ParentLookup,
  accountId: string,
  ancestorId: string,
  maxDepth: number = MAX_ACCOUNT_DEPTH,
): boolean {
  return listAncestry(parentOf, accountId, maxDepth).chain.includes(ancestorId);
}

/**
 * The top-most ancestor of an account (itself when it is top-level), or undefined when the walk cannot reach
 * the top: an unknown account, a cycle, or a chain deeper than the cap.
 */
export function findRootAccount(
  parentOf: ParentLookup,
  accountId: string,
  maxDepth: number = MAX_ACCOUNT_DEPTH,
): string | undefined {
  const { chain, complete } = listAncestry(parentOf, accountId, maxDepth);
  return complete ? chain[chain.length - 1] : undefined;
}

/**
 * The account `rootId` and every account nested under it (down to the depth cap), parents before children.
 * Empty when `rootId` is not among `accounts`. Links keep their own fields, so a caller gets its rows back.
 */
export function listSubtree<T extends AccountLink>(
  accounts: readonly T[],
  rootId: string,
  maxDepth: number = MAX_ACCOUNT_DEPTH,
): T[] {
  const root = accounts.find((a) => a.id === rootId);
  if (!root) return [];
  const children = new Map<string, T[]>();
  for (const account of accounts) {
    if (account.parentId === null) continue;
    const siblings = children.get(account.parentId);
    if (siblings) siblings.push(account);
    else children.set(account.parentId, [account]);
  }
  const subtree: T[] = [root];
  const seen = new Set([root.id]);
  let level: T[] = [root];
  for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
    const next: T[] = [];
    for (const parent of level) {
      for (const child of children.get(parent.id) ?? []) {
        if (seen.has(child.id)) continue;
        seen.add(child.id);
        subtree.push(child);
        next.push(child);
      }
    }
    level = next;
  }
  return subtree;
}
