import type { Kysely, Transaction } from "kysely";

/**
 * The tables as Kysely sees them. Written to behave the same on SQLite and PostgreSQL: text ids, ISO-8601
 * text timestamps, booleans as 0/1 integers. Every row carries its account id (sharding by account later).
 */
export interface AccountsTable {
  id: string;
  /** The account's own id: so even this table can be sharded by account. */
  account_id: string;
  code: string;
  code_key: string;
  name: string;
  kind: string;
  parent_id: string | null;
  created_at: string;
}

export interface DomainsTable {
  id: string;
  account_id: string;
  name: string;
  recipient_validation: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  email_key: string;
  name: string;
  type: string;
  password_hash: string | null;
  password_set_at: string | null;
  force_change_password: number;
  password_never_expires: number;
  locked: number;
  pop: number;
  submit: number;
  created_at: string;
  updated_at: string;
}

/** Every primary address and alias: one unique key column makes an address unique across the system. */
export interface AddressesTable {
  address_key: string;
  account_id: string;
  user_id: string;
  address: string;
  kind: string;
}

export interface AttributeDefinitionsTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string;
}

export interface AttributeValuesTable {
  account_id: string;
  user_id: string;
  definition_id: string;
  value: string;
}

export interface NotesTable {
  id: string;
  account_id: string;
  user_id: string;
  address: string;
  text: string;
  author: string;
  created_at: string;
}

export interface GroupsTable {
  id: string;
  account_id: string;
  parent_id: string | null;
  name: string;
  path: string;
  path_key: string;
}

export interface GroupMembersTable {
  account_id: string;
  group_id: string;
  user_id: string;
}

export interface RoleAssignmentsTable {
  account_id: string;
  user_id: string;
  role: string;
}

export interface PasswordPoliciesTable {
  account_id: string;
  min_length: number;
  require_upper: number;
  require_lower: number;
  require_digit: number;
  require_symbol: number;
  min_classes: number;
  refuse_common: number;
  max_age_days: number;
  history: number;
  lockout_threshold: number;
  lockout_minutes: number;
  updated_at: string;
}

export interface PasswordHistoryTable {
  id: string;
  account_id: string;
  user_id: string;
  password_hash: string;
  set_at: string;
}

export interface AuditLogTable {
  id: string;
  account_id: string;
  /** Orders the rows of one change, which share a timestamp. */
  seq: number;
  at: string;
  actor: string;
  action: string;
  address: string | null;
  before_json: string | null;
  after_json: string | null;
}

export interface ConsoleSessionsTable {
  id: string;
  account_id: string;
  user_id: string;
  /** SHA-256 (hex) of the cookie's secret; the secret itself is never stored. */
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  account_id: string;
  /** The administrator the token acts as: it carries their roles. */
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the token's secret; the secret is shown once, at creation. */
  secret_hash: string;
  created_by: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Consecutive failed sign-ins of a user, and until when the lockout they caused lasts. */
export interface SignInFailuresTable {
  user_id: string;
  account_id: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

export interface Database {
  accounts: AccountsTable;
  domains: DomainsTable;
  users: UsersTable;
  addresses: AddressesTable;
  attribute_definitions: AttributeDefinitionsTable;
  attribute_values: AttributeValuesTable;
  notes: NotesTable;
  profile_groups: GroupsTable;
  group_members: GroupMembersTable;
  role_assignments: RoleAssignmentsTable;
  password_policies: PasswordPoliciesTable;
  password_history: PasswordHistoryTable;
  audit_log: AuditLogTable;
  console_sessions: ConsoleSessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_failures: SignInFailuresTable;
}

/** What a repository runs on: the database itself or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
