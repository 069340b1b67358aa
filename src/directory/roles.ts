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
  // Delegate mailbox access (who may open whose mailbox): held by the roles that hold every permission.
  "manage_delegates",
  // OpenID Connect clients (applications that sign users in with the directory): every-permission roles.
  "manage_applications",
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
  /** The word administrators write for it (`Basic` for Basic Administrator); findRole takes either. */
  readonly shortName: string;
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

/**
 * The word administrators write for each role (`Basic` for Basic Administrator), accepted wherever a role is
 * named by text. None may equal another role's name, short name or id (checked when the module loads).
 */
const SHORT_NAMES: Readonly<Record<RoleId, string>> = {
  super_administrator: "Super",
  full_administrator: "Full",
  discovery_officer: "Discovery",
  basic_administrator: "Basic",
  helpdesk_administrator: "Helpdesk",
  gateway_administrator: "Gateway",
  master_administrator: "Master",
  migration_administrator: "Migration",
};

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
    shortName: SHORT_NAMES[id],
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

/** How a role's name is compared: any case, surrounding spaces ignored, inner runs of spaces as one. */
const nameKey = (text: string): string => text.trim().replace(/\s+/g, " ").toLowerCase();

/** Every full name, short name and id, to its role; a text naming two roles fails at load, never at a door. */
const BY_TEXT = ((): ReadonlyMap<string, Role> => {
  const byText = new Map<string, Role>();
  for (const role of ROLES) {
    for (const text of [role.name, role.shortName, role.id]) {
      const held = byText.get(nameKey(text));
      if (held && held !== role) throw new Error(`"${text}" names both ${held.id} and ${role.id}`);
      byText.set(nameKey(text), role);
    }
  }
  return byText;
})();

/** The names every door accepts, from the table above: "Super Administrator (Super), Full ...". */
export const ROLE_NAMES_TEXT = ROLES.map((role) => `${role.name} (${role.shortName})`).join(", ");

/** At most the first 60 characters (code points, never half a surrogate pair) of a name a message quotes. */
const quoted = (text: string): string => /^.{0,60}/su.exec(text.trim())?.[0] ?? "";

/** Finds a role by its full name, its short name (`Basic`) or its id: any case, surrounding spaces ignored. */
export function findRole(nameOrId: string): Role {
  const text = nameKey(nameOrId);
  const role = BY_TEXT.get(text) ?? BY_ID.get(text.replace(/[\s-]+/g, "_") as RoleId);
  if (!role) {
    throw new AppError(
      "role_unknown",
      `There is no role named "${quoted(nameOrId)}": use a role's name or short name: ${ROLE_NAMES_TEXT}.`,
      { role: nameOrId },
    );
  }
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
