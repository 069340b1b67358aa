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

export interface ImportsTable {
  id: string;
  account_id: string;
  /** The importing administrator's address (or the operator's name). */
  actor: string;
  state: string;
  file_name: string;
  sha256: string;
  options_json: string;
  note: string | null;
  sheet: string | null;
  checkpoint: string | null;
  summary_json: string | null;
  errors_json: string;
  warnings_json: string;
  /** Every issue counted by code (the lists keep only the first): null before migration 0007 and mid-run. */
  issue_counts_json: string | null;
  /** Every error and warning, counted (migration 0008): what the history lists without reading the JSON. */
  error_count: number;
  warning_count: number;
  /** "preview" or "save"; null for an import recorded before the mode was kept. */
  mode: string | null;
  created_at: string;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  account_id: string;
  recipient: string;
  subject: string;
  body: string;
  /** queued, sent or failed (given up). */
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface ConnectorsTable {
  id: string;
  account_id: string;
  name: string;
  name_key: string;
  /** "openldap" or "active-directory": decides the default attribute mapping. */
  kind: string;
  url: string;
  start_tls: number;
  ca_file: string | null;
  bind_dn: string;
  /** AES-256-GCM under MAILROSTER_SECRET_KEY; never shown again. */
  bind_password_enc: string;
  base_dn: string;
  filter: string;
  attribute_map_json: string;
  remove_missing: number;
  created_at: string;
  updated_at: string;
}

/** (connector, immutable id) -> user: the join of every sync. missing_since flags a user who left. */
export interface ConnectorUsersTable {
  connector_id: string;
  external_id: string;
  account_id: string;
  user_id: string;
  dn: string;
  missing_since: string | null;
}

export interface SyncRunsTable {
  id: string;
  account_id: string;
  started_at: string;
  finished_at: string;
  status: string;
  created: number;
  updated: number;
  reclaimed: number;
  flagged: number;
  removed: number;
  errors_json: string;
}

export interface RecipientSettingsTable {
  account_id: string;
  /** "defer" (451 4.1.1) or "reject" (550 5.1.1). */
  unknown_action: string;
  updated_at: string;
}

/** One row, bumped by triggers on every write that can change a recipient verdict. */
export interface DirectoryVersionTable {
  id: number;
  version: number;
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
  imports: ImportsTable;
  outbox: OutboxTable;
  connectors: ConnectorsTable;
  connector_users: ConnectorUsersTable;
  sync_runs: SyncRunsTable;
  recipient_settings: RecipientSettingsTable;
  directory_version: DirectoryVersionTable;
  console_sessions: ConsoleSessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_failures: SignInFailuresTable;
}

/** What a repository runs on: the database itself or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
