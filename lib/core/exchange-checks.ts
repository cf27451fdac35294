/**
 * The token exchange's checks, in the order the exchange applies them, each with the deny
 * reasons it can yield. `decideExchange` follows this list (its steps are marked with these
 * names, and a test pins that a token failing several checks is refused for the earliest);
 * the console's tester walks it to show every check as passed, failed or not reached; the
 * closed set of deny reasons is read off it. Plain data: safe in client code.
 * @see docs/behaviour.md#checks-in-order
 */

/** @see docs/behaviour.md#exchange-request: the assertion may be at most 16 KiB. */
export const MAX_ASSERTION_BYTES = 16 * 1024;

/** Where a check belongs, for grouping: the request, the rule, the token, then the target. */
export type ExchangeStage = "request" | "rule" | "signature" | "claims" | "match" | "replay" | "target";

export const EXCHANGE_CHECKS = [
  { check: "request", stage: "request", label: `Request shape, assertion at most ${MAX_ASSERTION_BYTES / 1024} KiB`, reasons: ["invalid_request", "assertion_too_large"] },
  { check: "rule", stage: "rule", label: "Rule and issuer are live", reasons: ["rule_not_found", "organization_mismatch", "rule_archived", "issuer_archived"] },
  { check: "header", stage: "signature", label: "Header (alg, kid)", reasons: ["malformed_jwt", "algorithm_not_allowed", "kid_missing", "unsupported_header"] },
  { check: "key", stage: "signature", label: "Signing key", reasons: ["unknown_kid", "jwks_unavailable"] },
  { check: "signature", stage: "signature", label: "Signature", reasons: ["signature_invalid"] },
  { check: "claims", stage: "claims", label: "Registered claims (iss, sub, iat, exp, lifetime)", reasons: ["issuer_mismatch", "missing_claim", "token_expired", "token_not_yet_valid", "iat_in_future", "lifetime_exceeded"] },
  { check: "match", stage: "match", label: "Rule match (aud, sub, claims, condition)", reasons: ["audience_mismatch", "match_subject_prefix", "match_claims", "match_condition"] },
  { check: "jti", stage: "replay", label: "Single use (jti)", reasons: ["jti_reused"] },
  { check: "service_account", stage: "target", label: "Service account", reasons: ["service_account_archived", "service_account_mismatch"] },
  { check: "scope", stage: "target", label: "Role allows the scope", reasons: ["scope_not_allowed"] },
  { check: "workspace", stage: "target", label: "Workspace", reasons: ["workspace_id_required", "workspace_not_found", "workspace_not_allowed", "service_account_not_in_workspace"] },
] as const satisfies ReadonlyArray<{ check: string; stage: ExchangeStage; label: string; reasons: readonly string[] }>;

export type ExchangeCheck = (typeof EXCHANGE_CHECKS)[number]["check"];
type CheckReason = (typeof EXCHANGE_CHECKS)[number]["reasons"][number];

const INDEX_OF_REASON = new Map<string, number>(EXCHANGE_CHECKS.flatMap((c, i) => c.reasons.map((r) => [r, i] as const)));
const INDEX_OF_CHECK = new Map<string, number>(EXCHANGE_CHECKS.map((c, i) => [c.check, i]));

/** The position of the check that yields `reason`: a denial for it stopped the exchange there. */
export function checkIndexOfReason(reason: CheckReason): number {
  return INDEX_OF_REASON.get(reason)!;
}

/** The position of `check` in the exchange's order. */
export function checkIndex(check: ExchangeCheck): number {
  return INDEX_OF_CHECK.get(check)!;
}

/** `check`'s entry: its stage, label and reasons. */
export function exchangeCheck(check: ExchangeCheck): (typeof EXCHANGE_CHECKS)[number] {
  return EXCHANGE_CHECKS[checkIndex(check)]!;
}
