import type { DirectoryFacts } from "./directory-facts.js";
import { warningNaming, type ImportIssue } from "./import-issue.js";

/**
 * The warnings of a plan that has no errors of its own, each naming the users it concerns (the first 50, and
 * a count of the rest): Directory Users the import makes Manually Imported Users, and the members an
 * overwrite removes from the group.
 */
export function planWarnings(
  facts: DirectoryFacts,
  becomeImported: readonly { readonly email: string; readonly domain: string }[],
  groupRemoved: readonly { readonly email: string }[],
): ImportIssue[] {
  const warnings: ImportIssue[] = [];
  if (becomeImported.length > 0) {
    const refusing = [...new Set(becomeImported.map((u) => u.domain))]
      .filter((d) => facts.domains.get(d)?.recipientValidation === "directory-users")
      .sort();
    warnings.push(
      warningNaming(
        "users_become_imported",
        `${becomeImported.length} Directory User(s) become Manually Imported Users`,
        becomeImported.map((u) => u.email),
        refusing.length > 0
          ? `Mail to them in ${refusing.join(", ")} (recipient validation: directory-users) is refused until Directory Synchronization runs again.`
          : "",
      ),
    );
  }
  if (groupRemoved.length > 0 && facts.group) {
    warnings.push(
      warningNaming(
        "group_members_removed",
        `Overwrite removes ${groupRemoved.length} member(s) the file does not name from ${facts.group.path}`,
        groupRemoved.map((m) => m.email).sort(),
      ),
    );
  }
  return warnings;
}
