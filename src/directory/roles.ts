import { AppError } from "../errors/app-error.js";

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
  readonly permissions: ReadonlySet<Permission>;
}

function defineRole(
  id: RoleId,
  name: string,
  options: { protected?: boolean; masterOnly?: boolean },
  permissions: readonly Permission[],
): Role {
  return {
    id,
    name,
    protected: options.protected ?? false,
    masterOnly: options.masterOnly ?? false,
    permissions: new Set(permissions),
  };
}

const ALL = PERMISSIONS;

/** The built-in roles, in the order the console lists them. */
export const ROLES: readonly Role[] = [
  defineRole("super_administrator", "Super Administrator", { protected: true }, ALL),
  defineRole(
    "full_administrator",
    "Full Administrator",
    { protected: true },
    ALL.filter((p) => p !== "manage_accounts"),
  ),
  defineRole("discovery_officer", "Discovery Officer", { protected: true }, ["search_archive", "view_audit"]),
  defineRole("basic_administrator", "Basic Administrator", {}, [
    "manage_users",
    "manage_groups",
    "import_users",
  ]),
  defineRole("helpdesk_administrator", "Helpdesk Administrator", {}, ["manage_users"]),
  defineRole("gateway_administrator", "Gateway Administrator", {}, [
    "manage_domains",
    "manage_policy",
    "view_audit",
  ]),
  defineRole("master_administrator", "Master Administrator", { masterOnly: true }, ALL),
  defineRole("migration_administrator", "Migration Administrator", { masterOnly: true }, [
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

/**
 * Only a holder of a protected role may change what is security-relevant (password, lockout, expiry, roles)
 * of a user who holds a protected role.
 */
export function mayChangeSecurityOf(actorRoles: readonly RoleId[], targetRoles: readonly RoleId[]): boolean {
  return !holdsProtectedRole(targetRoles) || holdsProtectedRole(actorRoles);
}
