/**
 * What the authentication history keeps of an exchange: who, which rule, what the token
 * claimed (capped; never the token), and for a denial the stable reason with its detail. The
 * granted row is built with the token it records (issuance.ts); a denial's row here.
 */
import { newId } from "./ids";
import type { AuthEventRecord, ExchangeAttempt } from "./ports";
import type { Claims } from "./types";

/** Claims kept in the history are capped; a larger set keeps only the registered claims. */
const MAX_CLAIMS_JSON = 8 * 1024;
const REGISTERED = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];
const MAX_SUBJECT = 1024;
const MAX_DETAIL = 2000;

/** The claims as the history stores them: JSON of at most 8 KiB. */
export function historyClaims(claims: Claims | undefined): string | null {
  if (!claims) return null;
  const full = JSON.stringify(claims);
  if (full.length <= MAX_CLAIMS_JSON) return full;
  const kept: Claims = { _truncated: true };
  for (const k of REGISTERED) if (k in claims) kept[k] = claims[k];
  return JSON.stringify(kept).slice(0, MAX_CLAIMS_JSON);
}

/** The subject as the history and the token record store it. */
export const historySubject = (sub: string): string => sub.slice(0, MAX_SUBJECT);

/** A refused exchange, as far as the decision got before refusing it. */
export interface DenialRecord extends ExchangeAttempt {
  reason: string;
  detail: string;
  ruleId: string | null;
  issuerId: string | null;
  serviceAccountId: string | null;
  /** The workspace the exchange was for, when the decision got that far. */
  workspaceId?: string | null;
  claims: Claims | undefined;
  claimsVerified: boolean;
}

/** The history row of a denial; `nowMs` is when it was decided. */
export function deniedEvent(d: DenialRecord, nowMs: number): AuthEventRecord {
  return {
    id: newId("authEvent"),
    organization_id: d.organizationId,
    occurred_at: new Date(nowMs).toISOString(),
    request_id: d.requestId,
    outcome: "denied",
    reason: d.reason,
    detail: d.detail.slice(0, MAX_DETAIL),
    federation_rule_id: d.ruleId,
    issuer_id: d.issuerId,
    service_account_id: d.serviceAccountId,
    workspace_id: d.workspaceId ?? null,
    subject: typeof d.claims?.sub === "string" ? historySubject(d.claims.sub) : null,
    claims: historyClaims(d.claims),
    claims_verified: d.claimsVerified ? 1 : 0,
    access_token_id: null,
    client_ip: d.clientIp,
  };
}
