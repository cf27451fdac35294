/**
 * Rows to the platform's wire objects. Only these shapes leave the server (API replies and
 * console props): field for field what the SDK's `Beta*` types declare, nothing more.
 */
import type { JwksConfig, RuleMatch } from "../core/types";
import type { Database } from "../store/schema";

type Row<T extends keyof Database> = Database[T];

/** Who created, last changed and archived a resource, and when: the fields every audited DTO ends with. */
export interface AuditedDto {
  archived_at: string | null;
  archived_by_actor_id: string | null;
  created_at: string;
  created_by_actor_id: string | null;
  updated_at: string;
  updated_by_actor_id: string | null;
}

function audited(r: AuditedDto): AuditedDto {
  return {
    archived_at: r.archived_at,
    archived_by_actor_id: r.archived_by_actor_id,
    created_at: r.created_at,
    created_by_actor_id: r.created_by_actor_id,
    updated_at: r.updated_at,
    updated_by_actor_id: r.updated_by_actor_id,
  };
}

export interface IssuerDto extends AuditedDto {
  id: string;
  type: "federation_issuer";
  name: string;
  issuer_url: string;
  jwks: JwksConfig;
  check_jti: boolean;
  max_jwt_lifetime_seconds: number;
  jwks_polling_disabled_at: string | null;
  poll_status: { consecutive_failures: number; last_fetched_at: string | null; next_poll_at: string | null } | null;
}

export function issuerDto(r: Row<"federation_issuers">): IssuerDto {
  const jwks = JSON.parse(r.jwks) as JwksConfig;
  return {
    id: r.id,
    type: "federation_issuer",
    name: r.name,
    issuer_url: r.issuer_url,
    jwks,
    check_jti: r.check_jti === 1,
    max_jwt_lifetime_seconds: r.max_jwt_lifetime_seconds,
    jwks_polling_disabled_at: r.jwks_polling_disabled_at,
    // Inline keys are never polled; the platform reports null for them.
    poll_status:
      jwks.type === "inline"
        ? null
        : {
            consecutive_failures: r.poll_consecutive_failures,
            last_fetched_at: r.poll_last_fetched_at,
            next_poll_at: r.jwks_polling_disabled_at || r.archived_at ? null : r.poll_next_at,
          },
    ...audited(r),
  };
}

/**
 * How an issuer's keys are doing, for the console: `failing` while the last fetch failed (the
 * issuer still serves the keys it had), `paused` once polling gave up, `pending` before the
 * first fetch, `inline` when keys are pasted and never fetched.
 */
export interface KeyHealth {
  state: "healthy" | "failing" | "paused" | "pending" | "inline" | "archived";
  /** The last failed fetch's message (what was fetched and what went wrong), while it is the latest outcome. */
  last_error: string | null;
  last_failed_at: string | null;
  last_fetched_at: string | null;
  next_poll_at: string | null;
  consecutive_failures: number;
}

/** An issuer as the console shows it: the wire object and its key health. */
export interface ConsoleIssuerDto extends IssuerDto {
  key_health: KeyHealth;
}

export function keyHealthOf(r: Row<"federation_issuers">): KeyHealth {
  const inline = (JSON.parse(r.jwks) as JwksConfig).type === "inline";
  const state: KeyHealth["state"] = r.archived_at
    ? "archived"
    : inline
      ? "inline"
      : r.jwks_polling_disabled_at
        ? "paused"
        : r.poll_last_error !== null
          ? "failing"
          : r.poll_last_fetched_at === null
            ? "pending"
            : "healthy";
  return {
    state,
    last_error: inline ? null : r.poll_last_error,
    last_failed_at: inline || r.poll_last_error === null ? null : r.poll_last_failed_at,
    last_fetched_at: inline ? null : r.poll_last_fetched_at,
    next_poll_at: inline || r.jwks_polling_disabled_at || r.archived_at ? null : r.poll_next_at,
    consecutive_failures: r.poll_consecutive_failures,
  };
}

export function consoleIssuerDto(r: Row<"federation_issuers">): ConsoleIssuerDto {
  return { ...issuerDto(r), key_health: keyHealthOf(r) };
}

export interface RuleDto extends AuditedDto {
  id: string;
  type: "federation_rule";
  name: string;
  description: string | null;
  issuer_id: string;
  issuer_name: string | null;
  match: { subject_prefix: string | null; audience: string | null; claims: Record<string, string> | null; condition: string | null };
  target: { type: "service_account"; service_account_id: string; service_account_name: string | null };
  oauth_scope: string;
  token_lifetime_seconds: number;
  workspace_id: string | null;
  workspace_ids: string[];
  applies_to_all_workspaces: boolean;
  attributes: null;
}

export function ruleDto(
  r: Row<"federation_rules">,
  extra: { issuerName: string | null; serviceAccountName: string | null; workspaceIds: string[] },
): RuleDto {
  const m = JSON.parse(r.match) as RuleMatch;
  return {
    id: r.id,
    type: "federation_rule",
    name: r.name,
    description: r.description,
    issuer_id: r.issuer_id,
    issuer_name: extra.issuerName,
    match: {
      subject_prefix: m.subject_prefix ?? null,
      audience: m.audience ?? null,
      claims: m.claims && Object.keys(m.claims).length ? m.claims : null,
      condition: m.condition ?? null,
    },
    target: { type: "service_account", service_account_id: r.service_account_id, service_account_name: extra.serviceAccountName },
    oauth_scope: r.oauth_scope,
    token_lifetime_seconds: r.token_lifetime_seconds,
    workspace_id: r.workspace_id,
    workspace_ids: extra.workspaceIds,
    applies_to_all_workspaces: r.applies_to_all_workspaces === 1,
    attributes: null,
    ...audited(r),
  };
}

export interface ServiceAccountDto extends AuditedDto {
  id: string;
  type: "service_account";
  name: string;
  description: string | null;
  organization_role: "admin" | "developer";
}

export function serviceAccountDto(r: Row<"service_accounts">): ServiceAccountDto {
  return {
    id: r.id,
    type: "service_account",
    name: r.name,
    description: r.description,
    organization_role: r.organization_role,
    ...audited(r),
  };
}

export interface WorkspaceDto {
  id: string;
  type: "workspace";
  name: string;
  display_color: string;
  tags: Record<string, string>;
  data_residency: { allowed_inference_geos: string[] | "unrestricted"; default_inference_geo: "global" | "us"; workspace_geo: "us" };
  compartment_id: string;
  external_key_id: null;
  user_profile_id: null;
  archived_at: string | null;
  created_at: string;
  /** Self-hosted addition: whether this is the organization's default workspace. */
  is_default: boolean;
}

export function workspaceDto(r: Row<"workspaces">): WorkspaceDto {
  return {
    id: r.id,
    type: "workspace",
    name: r.name,
    display_color: r.display_color,
    tags: JSON.parse(r.tags) as Record<string, string>,
    data_residency: JSON.parse(r.data_residency) as WorkspaceDto["data_residency"],
    compartment_id: `cmpt_${r.id.slice("wrkspc_".length)}`,
    external_key_id: null,
    user_profile_id: null,
    archived_at: r.archived_at,
    created_at: r.created_at,
    is_default: r.is_default === 1,
  };
}

export interface ServiceAccountWorkspaceMemberDto {
  type: "service_account_workspace_member";
  service_account_id: string;
  workspace_id: string;
  workspace_role: string;
  implicit: boolean;
  created_by_actor_id: string | null;
}

export interface RuleWorkspaceDto {
  type: "federation_rule_workspace";
  federation_rule_id: string;
  workspace_id: string;
  workspace_name: string | null;
  created_at: string;
  created_by_actor_id: string | null;
}

export interface ApiKeyDto {
  id: string;
  type: "api_key";
  name: string;
  created_at: string;
  created_by: { id: string; type: "user" | "service_account" } | null;
  expires_at: string | null;
  partial_key_hint: string;
  principal: { type: "service_account_actor"; service_account_id: string } | null;
  scope: { type: "organization" } | { type: "workspace"; workspace_id: string };
  status: "active" | "inactive" | "archived" | "expired";
  /** Self-hosted addition: `api` or `admin`. */
  kind: "api" | "admin";
  last_used_at: string | null;
}

export function apiKeyDto(r: Row<"api_keys">, now = Date.now()): ApiKeyDto {
  const expired = r.status === "active" && r.expires_at !== null && Date.parse(r.expires_at) <= now;
  return {
    id: r.id,
    type: "api_key",
    name: r.name,
    created_at: r.created_at,
    created_by:
      r.created_by_id && (r.created_by_type === "user" || r.created_by_type === "service_account")
        ? { id: r.created_by_id, type: r.created_by_type }
        : null,
    expires_at: r.expires_at,
    partial_key_hint: r.partial_key_hint,
    principal: r.service_account_id ? { type: "service_account_actor", service_account_id: r.service_account_id } : null,
    scope: r.workspace_id ? { type: "workspace", workspace_id: r.workspace_id } : { type: "organization" },
    status: expired ? "expired" : r.status,
    kind: r.kind,
    last_used_at: r.last_used_at,
  };
}
