/**
 * What the authentication history keeps of an exchange: who, which rule, what the token
 * claimed (capped; never the token), and for a denial the stable reason with its detail. The
 * granted row is built with the token it records (issuance.ts); a denial's row here.
 */
import { capClaims, MAX_CLAIM_STRING, recordableText } from "./history-record";
import { newId } from "./ids";
import type { AuthEventRecord, ExchangeAttempt } from "./ports";
import type { Claims } from "./types";

const MAX_DETAIL = 2000;

/** The claims as the history stores them: each value capped, what was cut listed (history-record.ts); always whole JSON. */
export function historyClaims(claims: Claims | undefined): string | null {
  return claims ? JSON.stringify(capClaims(claims)) : null;
}

/** The subject as the history and the token record store it: capped, without NUL or lone surrogates. */
export const historySubject = (sub: string): string => recordableText(sub, MAX_CLAIM_STRING);

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
    detail: recordableText(d.detail, MAX_DETAIL),
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
