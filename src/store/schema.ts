import type { Kysely, Transaction } from "kysely";

// The tables as Kysely sees them. Written to behave the same on SQLite and PostgreSQL: text ids, ISO-8601
// text timestamps, booleans as 0/1 integers. Every row carries its account id (sharding by account later).

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
  /** "users" (the default) or "delegates" (migration 0010). */
  kind: string;
  /** When someone asked to cancel the running import (migration 0019); null otherwise. */
  cancel_requested_at: string | null;
  created_at: string;
  updated_at: string;
}

/** An upload's bytes, for its results file (migration 0017); pruned after 7 days. */
export interface ImportFilesTable {
  import_id: string;
  bytes: Uint8Array;
  created_at: string;
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

/** One Sync All of an account: written `running` first, then `done` or `failed` (migration 0009). */
export interface SyncRunsTable {
  id: string;
  account_id: string;
  started_at: string;
  /** Null while the run runs. */
  finished_at: string | null;
  /** "running", then "ok", "partial" or "failed" (how the connectors went). */
  status: string;
  created: number;
  updated: number;
  reclaimed: number;
  flagged: number;
  removed: number;
  /** The first errors (services/sync/sync-errors.ts), JSON. */
  errors_json: string;
  /** "running", "done" or "failed". */
  state: string;
  /** Who started it: an administrator's address, or the CLI or the server's scheduler. */
  actor: string;
  connector_count: number;
  error_count: number;
  error_counts_json: string;
  /** Each connector read: [{id, name, entries (null when it failed), error (its code or null)}]. */
  connectors_json: string;
  /** Why a failed run failed (sync_connectors_failed, sync_failed, sync_interrupted). */
  failure_code: string | null;
  failure_message: string | null;
}

/** The running server's last sign of life and progress, per unfinished import or Sync All (migration 0015). */
export interface JobHeartbeatsTable {
  /** "import:<id>" or "sync:<id>". */
  job: string;
  progress_json: string | null;
  heartbeat_at: string;
}

/** A fixed-window count every server shares (migration 0015): the sign-in rate limit on PostgreSQL. */
export interface RateLimitWindowsTable {
  key: string;
  /** The window's start, in milliseconds since the epoch (bigint: a string from PostgreSQL). */
  window_start: number | string;
  count: number;
}

/** When a schedule (Sync All) is next due; the server that moves it on runs it (migration 0015). */
export interface JobSchedulesTable {
  name: string;
  due_at: string;
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

/** The portal's sessions (migration 0013): the console's shape, a table apart. */
export type PortalSessionsTable = ConsoleSessionsTable;

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

/** Delegate mailbox access: user_id (the Primary Address) may open delegate_user_id's mailbox. */
export interface DelegatesTable {
  id: string;
  account_id: string;
  user_id: string;
  delegate_user_id: string;
  created_at: string;
  created_by: string;
}

/** The client's externalId of a user provisioned over SCIM (migration 0012). */
export interface ScimUsersTable {
  user_id: string;
  account_id: string;
  external_id: string | null;
  /** The API token that first provisioned the user. */
  token_id: string | null;
  created_at: string;
}

/** The client's externalId of a profile group provisioned over SCIM (migration 0012). */
export interface ScimGroupsTable {
  group_id: string;
  account_id: string;
  external_id: string | null;
  token_id: string | null;
  created_at: string;
}

/** One SCIM request that changed something or was refused: what the console lists (bounded per account). */
export interface ScimActivityTable {
  id: string;
  account_id: string;
  token_id: string;
  token_name: string;
  at: string;
  method: string;
  path: string;
  status: number;
  /** Operations of a Bulk request; 1 otherwise. */
  operations: number;
  error_code: string | null;
  scim_type: string | null;
  message: string | null;
}

/** The users' search index and sort keys (migration 0014), written only by triggers on users and addresses. */
export interface UserSearchTable {
  user_id: string;
  account_id: string;
  address_sort: string;
  name_sort: string;
  type: string;
  locked: number;
  updated_at: string;
  doc: string;
}

/** An OpenID Connect client an administrator registered; the secret sealed (a public client has none). */
export interface OidcClientsTable {
  id: string;
  account_id: string;
  name: string;
  secret_sealed: string | null;
  /** JSON array of the registered redirect URIs. */
  redirect_uris: string;
  created_by: string;
  created_at: string;
}

/** A signing key (private JWK, sealed) or the cookie key of the OpenID Connect provider. */
export interface OidcKeysTable {
  id: string;
  kind: string;
  sealed: string;
  created_at: string;
  retired_at: string | null;
}

/** One of oidc-provider's models (Session, Grant, AuthorizationCode, RefreshToken, ...) as JSON. */
export interface OidcModelsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface Database {
  user_search: UserSearchTable;
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
  import_files: ImportFilesTable;
  outbox: OutboxTable;
  connectors: ConnectorsTable;
  connector_users: ConnectorUsersTable;
  sync_runs: SyncRunsTable;
  recipient_settings: RecipientSettingsTable;
  directory_version: DirectoryVersionTable;
  rate_limit_windows: RateLimitWindowsTable;
  job_heartbeats: JobHeartbeatsTable;
  job_schedules: JobSchedulesTable;
  console_sessions: ConsoleSessionsTable;
  portal_sessions: PortalSessionsTable;
  api_tokens: ApiTokensTable;
  sign_in_failures: SignInFailuresTable;
  delegates: DelegatesTable;
  scim_users: ScimUsersTable;
  scim_groups: ScimGroupsTable;
  scim_activity: ScimActivityTable;
  oidc_clients: OidcClientsTable;
  oidc_keys: OidcKeysTable;
  oidc_models: OidcModelsTable;
}

/** What a repository runs on: the database itself or a transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
