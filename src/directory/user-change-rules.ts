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
  /** How many aliases the user holds after the change. */
  readonly aliasCount?: number | undefined;
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
  if (change.aliasCount !== undefined && change.aliasCount > MAX_ALIASES_PER_USER) {
    violations.push({
      code: "aliases_too_many",
      field: "aliases",
      message: `A user holds at most ${MAX_ALIASES_PER_USER} aliases; this change leaves ${change.aliasCount}.`,
    });
  }
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
