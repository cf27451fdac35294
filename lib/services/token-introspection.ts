/**
 * What other gateways need to trust our tokens: RFC 7662 introspection (is this token active,
 * and whose is it?) and RFC 7009 revocation. Whether a token is active is decided by the API
 * layer's `authenticate()` — the same function every request goes through — so introspection
 * never calls a token active that a request would refuse; this module describes it and revokes.
 * @see docs/gateway.md#introspection-and-revocation
 */
import { hashSecret } from "../core/secrets";
import { API_KEY_SCOPES } from "../core/gateway-scopes";
import { recordAudit } from "./audit";
import type { AdminContext, Principal } from "./context";

/** RFC 7662 §2.2, with this server's identities as extension members. */
export type IntrospectionDto =
  | { active: false }
  | {
      active: true;
      token_type: "access_token" | "api_key";
      scope: string;
      iss: string;
      /** The service account (or, for an API key without one, the key) the token acts as. */
      sub: string;
      exp?: number;
      iat?: number;
      jti: string;
      organization_id: string;
      workspace_id: string | null;
      service_account_id: string | null;
      federation_rule_id?: string;
      /** The workload identity the token was exchanged for (the identity token's `sub`). */
      federated_subject?: string;
      exchange_request_id?: string;
    };

/** Describe an authenticated token (`principal`, from authenticate()); anything else is inactive. */
export async function describeToken(ctx: AdminContext, principal: Principal | undefined, issuer: string): Promise<IntrospectionDto> {
  if (!principal || principal.organizationId !== ctx.principal.organizationId) return { active: false };
  if (principal.kind === "access_token") {
    const row = await ctx.db.selectFrom("access_tokens").select(["created_at", "expires_at", "subject", "request_id"]).where("id", "=", principal.id).executeTakeFirst();
    if (!row) return { active: false };
    return {
      active: true,
      token_type: "access_token",
      scope: [...principal.scopes].join(" "),
      iss: issuer,
      sub: principal.serviceAccountId,
      exp: Math.floor(Date.parse(row.expires_at) / 1000),
      iat: Math.floor(Date.parse(row.created_at) / 1000),
      jti: principal.id,
      organization_id: principal.organizationId,
      workspace_id: principal.workspaceId,
      service_account_id: principal.serviceAccountId,
      federation_rule_id: principal.ruleId,
      federated_subject: row.subject,
      exchange_request_id: row.request_id,
    };
  }
  if (principal.kind === "api_key") {
    return {
      active: true,
      token_type: "api_key",
      scope: [...API_KEY_SCOPES].join(" "),
      iss: issuer,
      sub: principal.serviceAccountId ?? principal.id,
      jti: principal.id,
      organization_id: principal.organizationId,
      workspace_id: principal.workspaceId,
      service_account_id: principal.serviceAccountId,
    };
  }
  // Admin keys and sessions are not tokens another gateway should accept.
  return { active: false };
}

/**
 * Revoke an access token (RFC 7009 §2.1): it stops working on the next request, on every
 * instance. Unknown or already revoked tokens are not an error (§2.2). Returns whether one was revoked.
 */
export async function revokeAccessToken(ctx: AdminContext, token: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("access_tokens")
    .select(["id", "service_account_id"])
    .where("token_hash", "=", hashSecret(token))
    .where("organization_id", "=", ctx.principal.organizationId)
    .executeTakeFirst();
  if (!row) return false;
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("access_tokens").where("id", "=", row.id).execute();
    await recordAudit(trx, ctx.principal, ctx.principal.organizationId, ctx.requestId, {
      action: "access_token.revoked",
      targetType: "access_token",
      targetId: row.id,
      detail: { service_account_id: row.service_account_id },
    });
  });
  return true;
}
