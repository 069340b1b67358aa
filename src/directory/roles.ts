import { AppError } from "../errors/app-error.js";
import { ACCOUNT_KINDS, type AccountKind } from "./account.js";

export const PERMISSIONS = [
  "manage_accounts",
  "manage_domains",
  "manage_users",
  "import_users",
  "manage_groups",
  "manage_roles",
  "assign_protected_roles",
  "manage_policy",
  "run_directory_sync",
  "view_audit",
  "search_archive",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type RoleId =
  | "super_administrator"
  | "full_administrator"
  | "discovery_officer"
  | "basic_administrator"
  | "helpdesk_administrator"
  | "gateway_administrator"
  | "master_administrator"
  | "migration_administrator";

export interface Role {
  readonly id: RoleId;
  readonly name: string;
  /** Protected roles guard who may touch their holders' security-relevant fields. */
  readonly protected: boolean;
  /** Offered only on master accounts (Advanced Account Administration). */
  readonly masterOnly: boolean;
  /** The kinds of account whose users may hold the role. */
  readonly accountKinds: readonly AccountKind[];
  /**
   * Its place in the hierarchy: a holder acts only on users whose every role is at or below their own
   * (see mayActOn). Protected roles rank above every unprotected one.
   */
  readonly rank: number;
  readonly permissions: ReadonlySet<Permission>;
}

// Ranks: Master Administrator over everyone; Super over Full; protected roles (Full, Discovery Officer) over
// every unprotected one. Within a rank the permission sets decide (see mayActOn).
const MASTER = 4;
const SUPER = 3;
const PROTECTED = 2;
const UNPROTECTED = 1;

function defineRole(
  id: RoleId,
  name: string,
  options: { protected?: boolean; masterOnly?: boolean; rank: number },
  permissions: readonly Permission[],
): Role {
  const masterOnly = options.masterOnly ?? false;
  return {
    id,
    name,
    protected: options.protected ?? false,
    masterOnly,
    accountKinds: masterOnly ? ["master"] : ACCOUNT_KINDS,
    rank: options.rank,
    permissions: new Set(permissions),
  };
}

const ALL = PERMISSIONS;

/** The built-in roles, in the order the console lists them. */
export const ROLES: readonly Role[] = [
  defineRole("super_administrator", "Super Administrator", { protected: true, rank: SUPER }, ALL),
  defineRole(
    "full_administrator",
    "Full Administrator",
    { protected: true, rank: PROTECTED },
    ALL.filter((p) => p !== "manage_accounts"),
  ),
  defineRole("discovery_officer", "Discovery Officer", { protected: true, rank: PROTECTED }, [
    "search_archive",
    "view_audit",
  ]),
  defineRole("basic_administrator", "Basic Administrator", { rank: UNPROTECTED }, [
    "manage_users",
    "manage_groups",
    "import_users",
  ]),
  defineRole("helpdesk_administrator", "Helpdesk Administrator", { rank: UNPROTECTED }, ["manage_users"]),
  defineRole("gateway_administrator", "Gateway Administrator", { rank: UNPROTECTED }, [
    "manage_domains",
    "manage_policy",
    "view_audit",
  ]),
  // Holds every permission, so it is protected like Super Administrator, and ranks above it.
  defineRole(
    "master_administrator",
    "Master Administrator",
    { protected: true, masterOnly: true, rank: MASTER },
    ALL,
  ),
  defineRole("migration_administrator", "Migration Administrator", { masterOnly: true, rank: UNPROTECTED }, [
    "manage_users",
    "import_users",
    "manage_groups",
    "run_directory_sync",
  ]),
];

const BY_ID = new Map(ROLES.map((role) => [role.id, role]));
const BY_NAME = new Map(ROLES.map((role) => [role.name.toLowerCase(), role]));

/** Finds a role by its console name (any case) or its id. */
export function findRole(nameOrId: string): Role {
  const text = nameOrId.trim().toLowerCase();
  const role = BY_NAME.get(text) ?? BY_ID.get(text.replace(/[\s-]+/g, "_") as RoleId);
  if (!role) throw new AppError("role_unknown", `There is no role named "${nameOrId}".`, { role: nameOrId });
  return role;
}

export function getRole(id: RoleId): Role {
  const role = BY_ID.get(id);
  if (!role) throw new Error(`unknown role id ${id}`);
  return role;
}

export function isRoleId(text: string): text is RoleId {
  return BY_ID.has(text as RoleId);
}

export function holdsProtectedRole(roles: readonly RoleId[]): boolean {
  return roles.some((id) => getRole(id).protected);
}

export function hasPermission(roles: readonly RoleId[], permission: Permission): boolean {
  return roles.some((id) => getRole(id).permissions.has(permission));
}

/** Every permission any of the roles grants. */
function permissionsOf(roles: readonly RoleId[]): Set<Permission> {
  const all = new Set<Permission>();
  for (const id of roles) for (const permission of getRole(id).permissions) all.add(permission);
  return all;
}

function highestRank(roles: readonly RoleId[]): number {
  let rank = 0;
  for (const id of roles) rank = Math.max(rank, getRole(id).rank);
  return rank;
}

/**
 * Whether a holder of `actorRoles` may act on (change anything of, or assign roles to) a holder of
 * `targetRoles`: every target role is at or below the actor's highest rank, and the target can do nothing
 * the actor cannot (else a Helpdesk Administrator who resets a Gateway Administrator's password gains
 * manage_policy by signing in as them). `"all"` is the operator at the command line. A user with no role
 * is below everyone.
 */
export function mayActOn(actorRoles: readonly RoleId[] | "all", targetRoles: readonly RoleId[]): boolean {
  if (actorRoles === "all" || targetRoles.length === 0) return true;
  if (highestRank(targetRoles) > highestRank(actorRoles)) return false;
  const held = permissionsOf(actorRoles);
  return [...permissionsOf(targetRoles)].every((permission) => held.has(permission));
}

/** Whether a holder of `actorRoles` may give `role` to someone: only a role at or below their own. */
export function mayGrant(actorRoles: readonly RoleId[] | "all", role: RoleId): boolean {
  return mayActOn(actorRoles, [role]);
}

/** Whether the role may be held by a user of an account of this kind. */
export function isRoleAvailableIn(role: RoleId, kind: AccountKind): boolean {
  return getRole(role).accountKinds.includes(kind);
}
