/**
 * Issuing the access token of a granted exchange: mint the secret, keep only its hash, and
 * build everything the grant writes — the consumed `jti`, the token's record and its history
 * row — for the store to commit in one transaction. The lifetime is the grant's, decided with
 * the exchange's own clock (token-lifetime.ts); `nowMs` dates the records. The secret leaves
 * here once, for the reply, and is never stored.
 * @see RFC 6749 §5.1 (the access token response), docs/behaviour.md#access-tokens
 */
import type { ExchangeGrant } from "./exchange";
import { historyClaims, historySubject } from "./exchange-history";
import { newId } from "./ids";
import type { ExchangeAttempt, GrantRecords } from "./ports";
import { hashSecret, mintSecret } from "./secrets";

/**
 * How long a consumed `jti` is kept past the assertion's expiry: longer than the verifier's
 * leeway on `exp`, so the assertion can never be replayed once its `jti` is forgotten.
 */
const JTI_RETENTION_SECONDS = 120;

/** A grant's records plus the access token itself, which only the caller's reply carries. */
export interface Issuance extends GrantRecords {
  /** `sk-ant-oat01-…`: the only time it exists in clear. */
  secret: string;
}

/** Issue the access token for `grant` at `nowMs` (milliseconds since the epoch). */
export function issueAccessToken(grant: ExchangeGrant, attempt: ExchangeAttempt, nowMs: number): Issuance {
  const secret = mintSecret("access");
  const tokenId = newId("accessToken");
  const createdAt = new Date(nowMs).toISOString();
  const subject = historySubject(grant.subject);
  return {
    secret,
    usedJti: grant.jti && {
      issuer_id: grant.issuer.id,
      jti: grant.jti.value,
      expires_at: new Date((grant.jti.expiresAt + JTI_RETENTION_SECONDS) * 1000).toISOString(),
    },
    accessToken: {
      id: tokenId,
      token_hash: hashSecret(secret),
      organization_id: attempt.organizationId,
      federation_rule_id: grant.rule.id,
      service_account_id: grant.serviceAccountId,
      workspace_id: grant.workspaceId,
      scope: grant.scope,
      subject,
      request_id: attempt.requestId,
      created_at: createdAt,
      expires_at: new Date(nowMs + grant.expiresIn * 1000).toISOString(),
    },
    history: {
      id: newId("authEvent"),
      organization_id: attempt.organizationId,
      occurred_at: createdAt,
      request_id: attempt.requestId,
      outcome: "granted",
      reason: null,
      detail: `granted ${grant.scope} for ${grant.expiresIn}s in ${grant.workspaceId}`,
      federation_rule_id: grant.rule.id,
      issuer_id: grant.issuer.id,
      service_account_id: grant.serviceAccountId,
      workspace_id: grant.workspaceId,
      subject,
      claims: historyClaims(grant.claims),
      claims_verified: 1,
      access_token_id: tokenId,
      client_ip: attempt.clientIp,
    },
  };
}
