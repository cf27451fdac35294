/**
 * What the `/v1` API answers, as zod schemas: the OpenAPI document is generated from them
 * (lib/api/openapi.ts), a type test holds them equal to the DTOs in lib/services/dto.ts, and
 * the OpenAPI test parses real replies with them, strictly, so a field added, dropped or
 * renamed on either side fails. Field names follow the official SDK's `Beta*` types.
 */
import { z } from "zod";
import { jwksConfig } from "./issuers";

const timestamp = z.string().describe("ISO-8601 UTC timestamp");
const nullableId = z.string().nullable();

const audited = {
  archived_at: timestamp.nullable(),
  archived_by_actor_id: nullableId,
  created_at: timestamp,
  created_by_actor_id: nullableId,
  updated_at: timestamp,
  updated_by_actor_id: nullableId,
};

export const issuerResponse = z.strictObject({
  id: z.string(),
  type: z.literal("federation_issuer"),
  name: z.string(),
  issuer_url: z.string(),
  jwks: jwksConfig,
  check_jti: z.boolean(),
  max_jwt_lifetime_seconds: z.number().int(),
  jwks_polling_disabled_at: timestamp.nullable(),
  poll_status: z.strictObject({ consecutive_failures: z.number().int(), last_fetched_at: timestamp.nullable(), next_poll_at: timestamp.nullable() }).nullable(),
  ...audited,
});

export const ruleResponse = z.strictObject({
  id: z.string(),
  type: z.literal("federation_rule"),
  name: z.string(),
  description: z.string().nullable(),
  issuer_id: z.string(),
  issuer_name: z.string().nullable(),
  match: z.strictObject({
    subject_prefix: z.string().nullable(),
    audience: z.string().nullable(),
    claims: z.record(z.string(), z.string()).nullable(),
    condition: z.string().nullable(),
  }),
  target: z.strictObject({ type: z.literal("service_account"), service_account_id: z.string(), service_account_name: z.string().nullable() }),
  oauth_scope: z.string(),
  token_lifetime_seconds: z.number().int(),
  workspace_id: nullableId,
  workspace_ids: z.array(z.string()),
  applies_to_all_workspaces: z.boolean(),
  attributes: z.null(),
  ...audited,
});

export const serviceAccountResponse = z.strictObject({
  id: z.string(),
  type: z.literal("service_account"),
  name: z.string(),
  description: z.string().nullable(),
  organization_role: z.enum(["admin", "developer"]),
  ...audited,
});

export const workspaceResponse = z.strictObject({
  id: z.string(),
  type: z.literal("workspace"),
  name: z.string(),
  display_color: z.string(),
  tags: z.record(z.string(), z.string()),
  data_residency: z.strictObject({
    allowed_inference_geos: z.union([z.array(z.string()), z.literal("unrestricted")]),
    default_inference_geo: z.enum(["global", "us"]),
    workspace_geo: z.literal("us"),
  }),
  compartment_id: z.string(),
  external_key_id: z.null(),
  user_profile_id: z.null(),
  archived_at: timestamp.nullable(),
  created_at: timestamp,
  is_default: z.boolean().describe("Self-hosted addition: whether this is the organization's default workspace"),
});

export const serviceAccountWorkspaceMemberResponse = z.strictObject({
  type: z.literal("service_account_workspace_member"),
  service_account_id: z.string(),
  workspace_id: z.string(),
  workspace_role: z.string(),
  implicit: z.boolean(),
  created_by_actor_id: nullableId,
});

export const serviceAccountWorkspaceMemberDeleted = z.strictObject({
  type: z.literal("service_account_workspace_member_deleted"),
  service_account_id: z.string(),
  workspace_id: z.string(),
});

export const ruleWorkspaceResponse = z.strictObject({
  type: z.literal("federation_rule_workspace"),
  federation_rule_id: z.string(),
  workspace_id: z.string(),
  workspace_name: z.string().nullable(),
  created_at: timestamp,
  created_by_actor_id: nullableId,
});

export const ruleWorkspaceDeleted = z.strictObject({
  type: z.literal("federation_rule_workspace_deleted"),
  federation_rule_id: z.string(),
  workspace_id: z.string(),
});

export const apiKeyResponse = z.strictObject({
  id: z.string(),
  type: z.literal("api_key"),
  name: z.string(),
  created_at: timestamp,
  created_by: z.strictObject({ id: z.string(), type: z.enum(["user", "service_account"]) }).nullable(),
  expires_at: timestamp.nullable(),
  partial_key_hint: z.string(),
  principal: z.strictObject({ type: z.literal("service_account_actor"), service_account_id: z.string() }).nullable(),
  scope: z.discriminatedUnion("type", [z.strictObject({ type: z.literal("organization") }), z.strictObject({ type: z.literal("workspace"), workspace_id: z.string() })]),
  status: z.enum(["active", "inactive", "archived", "expired"]),
  kind: z.enum(["api", "admin"]).describe("Self-hosted addition: api (sk-ant-api03-) or admin (sk-ant-admin01-)"),
  last_used_at: timestamp.nullable().describe("Self-hosted addition"),
});

export const organizationResponse = z.strictObject({ id: z.string(), type: z.literal("organization"), name: z.string() });

/** A list page in both shapes the SDKs read: `Page` (first_id, last_id) and `PageCursor` (next_page). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    data: z.array(item),
    has_more: z.boolean(),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    next_page: z.string().nullable().describe("Opaque cursor: send it back as page"),
  });

export const errorResponse = z.strictObject({
  type: z.literal("error"),
  error: z.strictObject({
    type: z.enum(["invalid_request_error", "authentication_error", "permission_error", "not_found_error", "conflict_error", "request_too_large", "rate_limit_error", "api_error"]),
    message: z.string().describe("For a 400, starts with the field it concerns"),
  }),
});

/** `POST /v1/oauth/token`'s success (RFC 6749 section 5.1); there is no refresh token, the SDK exchanges again. */
export const tokenResponse = z.strictObject({
  access_token: z.string().describe("sk-ant-oat01-…"),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().describe("Seconds"),
  scope: z.string(),
});

const fieldChange = z.strictObject({ from: z.unknown(), to: z.unknown() });

export const configPlanResponse = z.strictObject({
  type: z.literal("organization_config_plan"),
  dry_run: z.boolean(),
  applied: z.boolean(),
  changes: z.array(
    z.strictObject({
      action: z.enum(["create", "update", "archive"]),
      kind: z.enum(["workspace", "issuer", "service_account", "rule"]),
      name: z.string(),
      fields: z.record(z.string(), fieldChange).describe("Dotted field path to its old and new value (null: absent)"),
    }),
  ),
});
