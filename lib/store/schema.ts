/**
 * Table types for Kysely. The same schema runs on SQLite and PostgreSQL, so columns use
 * portable types only: text (ISO-8601 UTC timestamps, JSON documents, tagged IDs),
 * integer (counts, seconds, 0/1 booleans).
 */
import type { AccessTokenRecord, AuthEventRecord, UsedJtiRecord } from "../core/ports";

/** ISO-8601 UTC timestamp with milliseconds; sorts lexicographically in time order. */
export type Timestamp = string;
/** 0 or 1; portable boolean. */
export type Flag = number;

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: Timestamp;
}

export interface WorkspacesTable {
  id: string;
  organization_id: string;
  name: string;
  display_color: string;
  tags: string;
  data_residency: string;
  is_default: Flag;
  created_at: Timestamp;
  archived_at: Timestamp | null;
}

interface Audited {
  created_at: Timestamp;
  updated_at: Timestamp;
  archived_at: Timestamp | null;
  created_by_actor_id: string | null;
  updated_by_actor_id: string | null;
  archived_by_actor_id: string | null;
}

export interface ServiceAccountsTable extends Audited {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  organization_role: "admin" | "developer";
}

export interface ServiceAccountWorkspacesTable {
  service_account_id: string;
  workspace_id: string;
  workspace_role: string;
  created_at: Timestamp;
  created_by_actor_id: string | null;
}

export interface FederationIssuersTable extends Audited {
  id: string;
  organization_id: string;
  name: string;
  issuer_url: string;
  jwks: string;
  check_jti: Flag;
  max_jwt_lifetime_seconds: number;
  jwks_polling_disabled_at: Timestamp | null;
  poll_consecutive_failures: number;
  poll_last_fetched_at: Timestamp | null;
  poll_next_at: Timestamp | null;
  poll_last_error: string | null;
  /** When the last failed key fetch happened (kept after a later success, as history). */
  poll_last_failed_at: Timestamp | null;
}

export interface FederationRulesTable extends Audited {
  id: string;
  organization_id: string;
  issuer_id: string;
  name: string;
  description: string | null;
  match: string;
  service_account_id: string;
  oauth_scope: string;
  token_lifetime_seconds: number;
  workspace_id: string | null;
  applies_to_all_workspaces: Flag;
}

export interface FederationRuleWorkspacesTable {
  federation_rule_id: string;
  workspace_id: string;
  created_at: Timestamp;
  created_by_actor_id: string | null;
}

export interface ApiKeysTable {
  id: string;
  organization_id: string;
  name: string;
  /** `api` (sk-ant-api03-, workspace-scoped) or `admin` (sk-ant-admin01-, organization). */
  kind: "api" | "admin";
  key_hash: string;
  partial_key_hint: string;
  workspace_id: string | null;
  service_account_id: string | null;
  status: "active" | "inactive" | "archived";
  created_by_type: "user" | "service_account" | "system" | null;
  created_by_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

/** The token path's three tables hold the core's records as it shapes them (lib/core/ports.ts). */
export type AccessTokensTable = AccessTokenRecord;

export type UsedJtisTable = UsedJtiRecord;

/** As the core writes it, read back as the columns allow: `detail` may be null (migration 0001), the flag a number. */
export interface AuthEventsTable extends Omit<AuthEventRecord, "detail" | "claims_verified"> {
  detail: string | null;
  claims_verified: Flag;
}

export interface AuditEventsTable {
  id: string;
  organization_id: string;
  occurred_at: Timestamp;
  request_id: string | null;
  actor_type: "user" | "api_key" | "admin_key" | "service_account" | "system" | "anonymous";
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: "success" | "failure";
  status_code: number | null;
  detail: string | null;
}

export interface UsersTable {
  id: string;
  organization_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: "owner" | "admin" | "developer" | "viewer";
  created_at: Timestamp;
  updated_at: Timestamp;
  disabled_at: Timestamp | null;
  /** Set for users created by single sign-on: their provider and its `sub` (migration 0009). */
  sso_provider_id: string | null;
  sso_subject: string | null;
  /** The TOTP secret, sealed (lib/core/secret-box.ts); set at enrolment, before it is confirmed. */
  totp_secret_sealed: string | null;
  /** When the second factor was confirmed; until then it is not asked for. */
  totp_enabled_at: Timestamp | null;
  /** The last TOTP time step accepted: a code is refused when its step is not later (no replay). */
  totp_last_step: number | null;
}

/** An OIDC provider the console signs people in with. @see docs/security.md#console-single-sign-on */
export interface SsoProvidersTable {
  id: string;
  organization_id: string;
  name: string;
  issuer_url: string;
  client_id: string;
  /** AES-256-GCM (lib/core/secret-box.ts); never returned to a caller. Null: a public client (PKCE only). */
  client_secret_sealed: string | null;
  client_secret_last4: string | null;
  /** Space-separated. */
  scopes: string;
  /** JSON array of lower-case domains; empty: any. */
  allowed_domains: string;
  /** JSON array of `{ role, match }`, in order: the first that matches decides. */
  role_mappings: string;
  source: "console" | "environment";
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by_actor_id: string | null;
}

/** `state` values already presented at the callback, kept until the sign-in they started would have expired. */
export interface SsoUsedStatesTable {
  state_hash: string;
  expires_at: Timestamp;
}

export interface UserRecoveryCodesTable {
  /** SHA-256 of the code (80 random bits: see lib/console/second-factor.ts). */
  code_hash: string;
  user_id: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: Timestamp;
}

/** One row (id 1): moved by triggers on SQLite whenever a rule's inputs change (migration 0002). */
export interface PolicyVersionTable {
  id: number;
  version: number;
}

/** The gateway's upstream: the organization's default (`workspace_id` `*`) or a workspace's override. */
export interface GatewayUpstreamsTable {
  organization_id: string;
  workspace_id: string;
  /** Null: inherit (the organization's default, then the configured or built-in one). */
  base_url: string | null;
  /** AES-256-GCM (lib/core/secret-box.ts); never returned to a caller. */
  api_key_sealed: string | null;
  api_key_last4: string | null;
  allow_passthrough: Flag;
  updated_at: Timestamp;
  updated_by_actor_id: string | null;
}

/** Per service account or API key; a null limit is no limit. */
export interface GatewayLimitsTable {
  subject_type: "service_account" | "api_key";
  subject_id: string;
  organization_id: string;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  concurrent_streams: number | null;
  updated_at: Timestamp;
  updated_by_actor_id: string | null;
}

/** One row per gateway request: who, what, how it went, how much. Never bodies or credentials. */
export interface GatewayRequestsTable {
  id: string;
  organization_id: string;
  occurred_at: Timestamp;
  request_id: string;
  upstream_request_id: string | null;
  credential_type: "access_token" | "api_key" | "admin_key" | "passthrough" | "none";
  /** Last four characters of a passed-through upstream key; null otherwise. */
  credential_hint: string | null;
  access_token_id: string | null;
  exchange_request_id: string | null;
  federation_rule_id: string | null;
  service_account_id: string | null;
  subject: string | null;
  api_key_id: string | null;
  workspace_id: string | null;
  method: string;
  path: string;
  path_family: string;
  model: string | null;
  status: number;
  outcome: "completed" | "denied" | "incomplete" | "client_closed" | "upstream_unreachable" | "upstream_timeout";
  reason: string | null;
  streamed: Flag;
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  ttfb_ms: number | null;
  duration_ms: number;
  request_bytes: number;
  response_bytes: number;
}

export interface Database {
  organizations: OrganizationsTable;
  workspaces: WorkspacesTable;
  service_accounts: ServiceAccountsTable;
  service_account_workspaces: ServiceAccountWorkspacesTable;
  federation_issuers: FederationIssuersTable;
  federation_rules: FederationRulesTable;
  federation_rule_workspaces: FederationRuleWorkspacesTable;
  api_keys: ApiKeysTable;
  access_tokens: AccessTokensTable;
  used_jtis: UsedJtisTable;
  auth_events: AuthEventsTable;
  audit_events: AuditEventsTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  policy_version: PolicyVersionTable;
  gateway_upstreams: GatewayUpstreamsTable;
  gateway_limits: GatewayLimitsTable;
  gateway_requests: GatewayRequestsTable;
  sso_providers: SsoProvidersTable;
  sso_used_states: SsoUsedStatesTable;
  user_recovery_codes: UserRecoveryCodesTable;
}
