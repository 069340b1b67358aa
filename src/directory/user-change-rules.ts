import type { ErrorCode } from "../errors/codes.js";
import type { AccountKind } from "./account.js";
import { isAttributeValueTooLong, looksLikeSecret, MAX_ATTRIBUTE_VALUE_LENGTH } from "./attribute-name.js";
import { getRole, holdsProtectedRole, isRoleAvailableIn, mayActOn, mayGrant, type RoleId } from "./roles.js";
import type { UserField } from "./user-settings.js";

/** A user holds at most this many aliases, whichever door adds them. */
export const MAX_ALIASES_PER_USER = 10;

/** Who asks: an administrator's roles, or "all" for the operator at the command line. */
export interface RuleActor {
  readonly roles: readonly RoleId[] | "all";
}

/** The user changed: their roles today (none for a new user) and the kind of account they live in. */
export interface RuleTarget {
  readonly roles: readonly RoleId[];
  readonly accountKind: AccountKind;
}

/** What a change does to one user. Only what really changes belongs here: an unchanged cell is no change. */
export interface UserChange {
  /** The fields whose value changes. */
  readonly fields: Iterable<UserField>;
  /** Roles the change gives the user. */
  readonly grantRoles?: readonly RoleId[] | undefined;
  /** How many aliases the user holds after a change that replaces them (the console, the API, sync). */
  readonly aliasCount?: number | undefined;
  /**
   * A change that adds aliases to those stored (the import): how many the user holds today and how many
   * new ones it adds (an alias the user already holds is not new).
   */
  readonly addedAliases?: { readonly stored: number; readonly added: number } | undefined;
  /** Attribute values the change writes (new or changed), by name. */
  readonly attributes?: Iterable<{ readonly name: string; readonly value: string }> | undefined;
  /** Attribute definitions the change creates. */
  readonly newAttributeNames?: Iterable<string> | undefined;
}

/** One rule the change breaks: where (the field, or the attribute's name) and which code. */
export interface Violation {
  readonly code: ErrorCode;
  readonly field: UserField;
  /** For attribute violations: the attribute's name. For role violations: the role's name. */
  readonly subject?: string | undefined;
  /**
   * For alias_limit_exceeded on a change that adds aliases: the 0-based position, among the added ones, of
   * the first over the limit (the import's cell).
   */
  readonly position?: number | undefined;
  readonly message: string;
}

function outranked(actor: RuleActor, targetRoles: readonly RoleId[]): ErrorCode {
  const actorProtected = actor.roles === "all" || holdsProtectedRole(actor.roles);
  return holdsProtectedRole(targetRoles) && !actorProtected
    ? "protected_role_required"
    : "role_outranks_actor";
}

/**
 * The one answer to "may this actor make this change to this user?": every rule the change breaks, empty
 * when it may. The import turns each violation into an issue at the field's cell; the API, the CLI, sync and
 * SCIM turn the first into an error. Whether the actor holds the permission in the user's account at all
 * (manage_users, import_users, manage_roles) is `authorize`'s question, asked before this one.
 */
export function checkUserChange(actor: RuleActor, target: RuleTarget, change: UserChange): Violation[] {
  const violations: Violation[] = [];
  // A role may act only on users whose every role is at or below its own (Entra's and Google Workspace's
  // rule for password resets and edits of administrators).
  if (!mayActOn(actor.roles, target.roles)) {
    const code = outranked(actor, target.roles);
    for (const field of change.fields) {
      violations.push({
        code,
        field,
        message:
          "The user holds an administrator role above yours: only an administrator at or above it may change them.",
      });
    }
  }
  for (const roleId of change.grantRoles ?? []) {
    const role = getRole(roleId);
    if (!isRoleAvailableIn(roleId, target.accountKind)) {
      violations.push({
        code: "role_not_available",
        field: "adminrole",
        subject: role.name,
        message: `${role.name} exists only on ${role.accountKinds.join(" or ")} accounts; this user's account is ${target.accountKind}.`,
      });
    } else if (!mayGrant(actor.roles, roleId) || !mayActOn(actor.roles, target.roles)) {
      violations.push({
        code: outranked(actor, [roleId, ...target.roles]),
        field: "adminrole",
        subject: role.name,
        message: `Only an administrator at or above ${role.name} may give it.`,
      });
    }
  }
  const aliasLimit = checkAliasLimit(change);
  if (aliasLimit) violations.push(aliasLimit);
  for (const name of change.newAttributeNames ?? []) {
    if (looksLikeSecret(name)) {
      violations.push({
        code: "attribute_looks_secret",
        field: "attributes",
        subject: name,
        message: `"${name}" reads like a password: attributes are stored as plain text. Rename the attribute, or use the password field.`,
      });
    }
  }
  for (const { name, value } of change.attributes ?? []) {
    if (isAttributeValueTooLong(value)) {
      violations.push({
        code: "attribute_value_too_long",
        field: "attributes",
        subject: name,
        message: `The value of ${name} is longer than ${MAX_ATTRIBUTE_VALUE_LENGTH} characters: shorten it.`,
      });
    }
  }
  return violations;
}

/**
 * Ten aliases per user, counting what is stored: a door that replaces the aliases counts the new set; one
 * that adds to them (the import) counts the stored ones plus the new ones, so two imports of six aliases
 * each cannot leave twelve.
 */
function checkAliasLimit(change: UserChange): Violation | undefined {
  const added = change.addedAliases;
  if (added !== undefined) {
    const after = added.stored + added.added;
    if (added.added === 0 || after <= MAX_ALIASES_PER_USER) return undefined;
    const room = Math.max(0, MAX_ALIASES_PER_USER - added.stored);
    return {
      code: "alias_limit_exceeded",
      field: "aliases",
      position: room,
      message:
        `A user holds at most ${MAX_ALIASES_PER_USER} aliases: this user holds ${added.stored} and this change ` +
        `adds ${added.added} new (${after}). ` +
        (room === 0
          ? "Remove some of the stored aliases first, or leave out the new ones."
          : `Leave out all but ${room} of the new aliases, or remove some of the stored ones first.`),
    };
  }
  if (change.aliasCount === undefined || change.aliasCount <= MAX_ALIASES_PER_USER) return undefined;
  return {
    code: "alias_limit_exceeded",
    field: "aliases",
    message: `A user holds at most ${MAX_ALIASES_PER_USER} aliases; this change leaves ${change.aliasCount}: give fewer.`,
  };
}

/**
 * remoteaccountcode (Advanced Account Administration): only a Master or Migration Administrator importing
 * into a master account may place users in the accounts nested under it.
 */
export function mayUseRemoteAccountColumn(actor: RuleActor, importingAccount: AccountKind): boolean {
  if (importingAccount !== "master") return false;
  return (
    actor.roles === "all" ||
    actor.roles.includes("master_administrator") ||
    actor.roles.includes("migration_administrator")
  );
}

/** adminrole: only a Master Administrator importing into a master account may give roles by import. */
export function mayUseAdminRoleColumn(actor: RuleActor, importingAccount: AccountKind): boolean {
  if (importingAccount !== "master") return false;
  return actor.roles === "all" || actor.roles.includes("master_administrator");
}
