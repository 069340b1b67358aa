import type { Address } from "../directory/address.js";
import { parseAccountCode, type AccountKind } from "../directory/account.js";
import { checkPassword } from "../directory/password-policy.js";
import { findRole, ROLE_NAMES_TEXT, type RoleId } from "../directory/roles.js";
import {
  checkUserChange,
  mayUseAdminRoleColumn,
  mayUseRemoteAccountColumn,
  type RuleActor,
  type Violation,
} from "../directory/user-change-rules.js";
import type { UserField } from "../directory/user-settings.js";
import { isAppError } from "../errors/app-error.js";
import { newAttributeWarnings, type NewAttributeColumn } from "./attribute-warnings.js";
import type { DirectoryFacts, ExistingUser } from "./directory-facts.js";
import { excerpt, issueAt, type ImportIssue } from "./import-issue.js";
import { IssueList } from "./issue-list.js";
import type { ColumnMap, FlagKey } from "./map-columns.js";
import { planWarnings } from "./plan-warnings.js";
import type { ParsedRow } from "./read-rows.js";

export type PlannedAction = "create" | "update" | "unchanged";

export interface PlannedUser {
  readonly source: ParsedRow;
  readonly action: PlannedAction;
  readonly accountId: string;
  readonly existing: ExistingUser | undefined;
  /** The name to store (new users, or a changed name). */
  readonly name: string | undefined;
  readonly becomesImported: boolean;
  /** Only the flags that change (all given flags for a new user). */
  readonly flags: ReadonlyMap<FlagKey, boolean>;
  readonly setPassword: boolean;
  readonly aliasesToAdd: readonly Address[];
  /** Only values that change. */
  readonly attributes: readonly { readonly key: string; readonly name: string; readonly value: string }[];
  readonly roleToAssign: RoleId | undefined;
  readonly joinsGroup: boolean;
}

export interface ImportSummary {
  rows: number;
  create: number;
  update: number;
  unchanged: number;
  aliasesAdded: number;
  attributesCreated: string[];
  groupAdded: number;
  groupRemoved: number;
  typeChanged: number;
}

export interface ImportPlan {
  readonly users: readonly PlannedUser[];
  /** Definitions to create, per account. */
  readonly attributesCreated: readonly {
    readonly accountId: string;
    readonly name: string;
    readonly key: string;
  }[];
  readonly groupRemoved: readonly { readonly userId: string; readonly email: string }[];
  readonly summary: ImportSummary;
  /** Bounded: the first issues of each severity, every one counted by code. */
  readonly issues: IssueList;
}

// A re-import leaves most users unchanged: they share these instead of holding empty copies each.
const NO_FLAGS: ReadonlyMap<FlagKey, boolean> = new Map();
const NO_ATTRIBUTES: PlannedUser["attributes"] = [];

/** The row's flags that differ from the user's. */
function changedFlags(
  flags: ReadonlyMap<FlagKey, boolean>,
  existing: ExistingUser,
): ReadonlyMap<FlagKey, boolean> {
  let changed: Map<FlagKey, boolean> | undefined;
  for (const [flag, value] of flags) {
    if (existing.flags[flag] !== value) (changed ??= new Map()).set(flag, value);
  }
  return changed ?? NO_FLAGS;
}

/** The columns only some administrators may use (the rulebook says who), with what a refused cell says. */
const RESTRICTED_COLUMNS = {
  remoteAccountCode: {
    mayUse: mayUseRemoteAccountColumn,
    code: "remote_account_not_allowed",
    message:
      "Only a Master or Migration Administrator on a master account may use remoteaccountcode: empty the cell.",
  },
  adminRole: {
    mayUse: mayUseAdminRoleColumn,
    code: "admin_role_not_allowed",
    message: "Only a Master Administrator on a master account may use adminrole: empty the cell.",
  },
} as const;

/** The issue on a restricted column's cell when the actor may not use that column; undefined when they may. */
function refusedCell(
  column: keyof typeof RESTRICTED_COLUMNS,
  actor: RuleActor,
  facts: DirectoryFacts,
  r: number,
  col: number,
): ImportIssue | undefined {
  const { mayUse, code, message } = RESTRICTED_COLUMNS[column];
  return mayUse(actor, facts.account.kind) ? undefined : issueAt(code, r, col, message);
}

/** domain_not_internal on the cell of the row's email or an alias whose domain is not the account's own. */
function foreignDomain(
  facts: DirectoryFacts,
  accountId: string,
  address: Address,
  r: number,
  col: number,
  kind: "email" | "alias" = "email",
): ImportIssue | undefined {
  if (facts.domains.get(address.domain)?.accountId === accountId) return undefined;
  const advice = kind === "email" ? ": add the domain or correct the address" : "";
  return issueAt(
    "domain_not_internal",
    r,
    col,
    `${excerpt(address.domain)} is not an internal domain of the account${advice}.`,
  );
}

/** The cell a rulebook violation points at: the field's column, or the attribute's or alias's own. */
function violationColumn(
  violation: Violation,
  map: ColumnMap,
  rowAttributes: ParsedRow["attributes"],
  aliasCol: number | undefined,
): number {
  switch (violation.field) {
    case "name":
      return map.name ?? map.email;
    case "password":
      return map.password ?? map.email;
    case "aliases":
      return aliasCol ?? map.email;
    case "attributes":
      return (rowAttributes.find((a) => a.name === violation.subject) ?? rowAttributes[0])?.col ?? map.email;
    case "adminrole":
      return map.adminRole ?? map.email;
    case "remoteaccountcode":
      return map.remoteAccountCode ?? map.email;
    case "changepassword":
    case "passwordneverexpire":
    case "accountlockedout":
    case "pop":
    case "submit":
      return map.flags.get(violation.field) ?? map.email;
    case "type":
    case "groups":
    case "notes":
      return map.email;
  }
}

/** What the row really changes of the user, in the rulebook's terms. */
function changedFields(change: {
  name: string | undefined;
  becomesImported: boolean;
  setPassword: boolean;
  flags: ReadonlyMap<FlagKey, boolean>;
  aliasesToAdd: readonly Address[];
  attributes: PlannedUser["attributes"];
  roleToAssign: RoleId | undefined;
}): UserField[] {
  const fields: UserField[] = [];
  if (change.name !== undefined) fields.push("name");
  if (change.becomesImported) fields.push("type");
  if (change.setPassword) fields.push("password");
  for (const flag of change.flags.keys()) fields.push(flag);
  if (change.aliasesToAdd.length > 0) fields.push("aliases");
  if (change.attributes.length > 0) fields.push("attributes");
  if (change.roleToAssign !== undefined) fields.push("adminrole");
  return fields;
}

/**
 * Checks every parsed row against the directory as `facts` describe it and works out what would change.
 * Pure: the same rows and facts always give the same plan and issues.
 */
export function planImport(
  rows: readonly ParsedRow[],
  map: ColumnMap,
  facts: DirectoryFacts,
  dataRows: number,
): ImportPlan {
  const issues = new IssueList();
  const users: PlannedUser[] = [];
  const createdAttributes = new Map<string, { accountId: string; name: string; key: string }>();
  const actor = { roles: facts.actorRoles };
  const accountKinds = new Map<string, AccountKind>([[facts.account.id, facts.account.kind]]);
  for (const nested of facts.nestedAccounts.values()) accountKinds.set(nested.id, nested.kind);
  const imported = new Set<string>();
  const becomeImported: { email: string; domain: string }[] = [];
  // Headers no account of the file knows as an attribute, by key: warned about once each.
  const newColumns = new Map<string, NewAttributeColumn>();

  for (const source of rows) {
    const r = source.row;
    const rowIssues: ImportIssue[] = [];
    let accountId = facts.account.id;
    if (source.remoteAccountCode !== undefined && map.remoteAccountCode !== undefined) {
      const col = map.remoteAccountCode;
      const refused = refusedCell("remoteAccountCode", actor, facts, r, col);
      if (refused) rowIssues.push(refused);
      else {
        let key: string | undefined;
        try {
          key = parseAccountCode(source.remoteAccountCode).key;
        } catch {
          key = undefined;
        }
        const nested = key === undefined ? undefined : facts.nestedAccounts.get(key);
        if (!nested) {
          rowIssues.push(
            issueAt(
              "remote_account_invalid",
              r,
              col,
              `"${excerpt(source.remoteAccountCode)}" is not an account under ${facts.account.code}: use the code of a nested account.`,
            ),
          );
        } else accountId = nested.id;
      }
    }

    const foreign = foreignDomain(facts, accountId, source.email, r, map.email);
    if (foreign) rowIssues.push(foreign);
    const owner = facts.addresses.get(source.email.key);
    let existing: ExistingUser | undefined;
    if (owner) {
      existing = facts.users.get(owner.userId);
      if (owner.kind !== "primary" || existing?.accountId !== accountId) {
        rowIssues.push(
          issueAt(
            "address_taken",
            r,
            map.email,
            `${excerpt(source.email.address)} is already an alias of another user.`,
          ),
        );
        existing = undefined;
      }
    }
    if (!existing && !owner && source.name === undefined) {
      rowIssues.push(
        issueAt(
          "name_required",
          r,
          map.name ?? map.email,
          `${excerpt(source.email.address)} is a new user: give a name.`,
        ),
      );
    }

    const policy = facts.policies.get(accountId) ?? facts.defaultPolicy;
    if (source.password !== undefined && map.password !== undefined) {
      const broken = checkPassword(policy, source.password, facts.isCommonPassword);
      if (broken.length > 0) {
        // The message names the rules, never the password.
        rowIssues.push({
          ...issueAt(
            "password_weak",
            r,
            map.password,
            `The password breaks the policy: ${broken.join(", ")}. Choose another.`,
          ),
          rules: broken,
        });
      }
    }
    const aliasesToAdd: Address[] = [];
    for (const alias of source.aliases) {
      const aliasForeign = foreignDomain(facts, accountId, alias.address, r, alias.col, "alias");
      if (aliasForeign) {
        rowIssues.push(aliasForeign);
        continue;
      }
      const aliasOwner = facts.addresses.get(alias.address.key);
      if (aliasOwner && aliasOwner.userId !== existing?.id) {
        rowIssues.push(
          issueAt("alias_taken", r, alias.col, `${excerpt(alias.address.address)} belongs to another user.`),
        );
        continue;
      }
      if (aliasOwner?.kind === "primary") {
        rowIssues.push(
          issueAt(
            "alias_is_primary",
            r,
            alias.col,
            `${excerpt(alias.address.address)} is this user's email.`,
          ),
        );
        continue;
      }
      if (!aliasOwner) aliasesToAdd.push(alias.address);
    }

    let roleToAssign: RoleId | undefined;
    if (source.adminRole !== undefined && map.adminRole !== undefined) {
      const col = map.adminRole;
      const refused = refusedCell("adminRole", actor, facts, r, col);
      if (refused) rowIssues.push(refused);
      else {
        try {
          const role = findRole(source.adminRole);
          if (!existing?.roles.includes(role.id)) roleToAssign = role.id;
        } catch (error) {
          if (!isAppError(error)) throw error;
          rowIssues.push(
            issueAt(
              "role_unknown",
              r,
              col,
              `There is no role "${excerpt(source.adminRole)}": use a role's name or short name: ${ROLE_NAMES_TEXT}.`,
            ),
          );
        }
      }
    }

    const known = facts.attributeKeys.get(accountId);
    // A new user takes the row's own arrays and maps: 65,535 copies of them are memory a save can do without.
    const attributes =
      existing === undefined
        ? source.attributes
        : source.attributes.some((a) => existing.attributes.get(a.key) !== a.value)
          ? source.attributes.filter((a) => existing.attributes.get(a.key) !== a.value)
          : NO_ATTRIBUTES;
    const flags = existing === undefined ? source.flags : changedFlags(source.flags, existing);
    const name =
      existing === undefined || (source.name !== undefined && source.name !== existing.name)
        ? source.name
        : undefined;
    // Any password cell sets the password: checking whether it is the current one would tell the importer
    // (and the preview's reader) a user's password. Only the person signing in has theirs verified.
    const setPassword = source.password !== undefined;
    const becomesImported = existing?.type === "directory";
    const fields = changedFields({
      name,
      becomesImported,
      setPassword,
      flags,
      aliasesToAdd,
      attributes,
      roleToAssign,
    });
    const target = {
      roles: existing?.roles ?? [],
      accountKind: accountKinds.get(accountId) ?? facts.account.kind,
    };
    const violations = checkUserChange(actor, target, {
      fields,
      grantRoles: roleToAssign === undefined ? [] : [roleToAssign],
      // Ten per user, counting the stored ones: a second file of six new aliases fails at its fifth.
      addedAliases: { stored: existing?.aliasCount ?? 0, added: aliasesToAdd.length },
      attributes,
    });
    for (const violation of violations) {
      // The alias the violation is about: the first over the limit, else the first the row adds.
      const alias = aliasesToAdd[violation.position ?? 0];
      const aliasCol = source.aliases.find((a) => a.address === alias)?.col;
      rowIssues.push(
        issueAt(
          violation.code,
          r,
          violationColumn(violation, map, source.attributes, aliasCol),
          violation.message,
        ),
      );
    }
    for (const a of source.attributes) {
      if (!known?.has(a.key) && !newColumns.has(a.key)) newColumns.set(a.key, a);
    }
    // A row with errors of its own (here or in its cells) is checked, never written.
    if (rowIssues.length > 0 || source.invalid) {
      issues.addAll(rowIssues);
      continue;
    }
    for (const attribute of attributes) {
      const id = `${accountId}:${attribute.key}`;
      if (!known?.has(attribute.key) && !createdAttributes.has(id)) {
        createdAttributes.set(id, { accountId, name: attribute.name, key: attribute.key });
      }
    }
    if (becomesImported && existing) {
      becomeImported.push({ email: existing.email, domain: source.email.domain });
    }
    const joinsGroup =
      facts.group !== undefined && (existing === undefined || !facts.group.members.has(existing.id));
    if (existing) imported.add(existing.id);
    users.push({
      source,
      action: existing === undefined ? "create" : fields.length > 0 ? "update" : "unchanged",
      accountId,
      existing,
      name,
      becomesImported,
      flags,
      setPassword,
      aliasesToAdd,
      attributes,
      roleToAssign,
      joinsGroup,
    });
  }

  const groupRemoved =
    facts.group?.override === "overwrite"
      ? [...facts.group.members]
          .filter(([id]) => !imported.has(id))
          .map(([userId, email]) => ({ userId, email }))
          // By address, so the warning's first 50 and the audit read in one order.
          .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0))
      : [];
  const typeChanged = becomeImported.length;
  issues.addAll(planWarnings(facts, becomeImported, groupRemoved));
  issues.addAll(newAttributeWarnings(map.headerRow, newColumns.values()));
  const attributesCreated = [...createdAttributes.values()];
  return {
    users,
    attributesCreated,
    groupRemoved,
    issues,
    summary: {
      rows: dataRows,
      create: users.filter((u) => u.action === "create").length,
      update: users.filter((u) => u.action === "update").length,
      unchanged: users.filter((u) => u.action === "unchanged").length,
      aliasesAdded: users.reduce((n, u) => n + u.aliasesToAdd.length, 0),
      attributesCreated: [...new Set(attributesCreated.map((a) => a.name))],
      groupAdded: users.filter((u) => u.joinsGroup).length,
      groupRemoved: groupRemoved.length,
      typeChanged,
    },
  };
}
