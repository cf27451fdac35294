/**
 * The closed set of reasons a token exchange is refused. One code drives the HTTP reply
 * (always the same opaque 401/400 to the caller), the authentication-history row and the
 * console's explanation. Adding a reason means adding it here first.
 */

export const DENY_REASONS = [
  // request shape (400 invalid_request_error)
  "invalid_request",
  "assertion_too_large",
  // rule / issuer lookup
  "rule_not_found",
  "rule_archived",
  "organization_mismatch",
  "issuer_archived",
  // JWT structure and signature
  "malformed_jwt",
  "algorithm_not_allowed",
  "kid_missing",
  "unknown_kid",
  "jwks_unavailable",
  "signature_invalid",
  "unsupported_header",
  // registered claims
  "issuer_mismatch",
  "missing_claim",
  "token_expired",
  "token_not_yet_valid",
  "iat_in_future",
  "lifetime_exceeded",
  "audience_mismatch",
  // rule match
  "match_subject_prefix",
  "match_claims",
  "match_condition",
  // replay
  "jti_reused",
  // target
  "service_account_archived",
  "service_account_mismatch",
  "scope_not_allowed",
  "workspace_id_required",
  "workspace_not_found",
  "workspace_not_allowed",
  "service_account_not_in_workspace",
] as const;

export type DenyReason = (typeof DENY_REASONS)[number];

/** Reasons that stem from a malformed request rather than a refused identity: 400, not 401. */
export const REQUEST_ERROR_REASONS: ReadonlySet<DenyReason> = new Set(["invalid_request", "assertion_too_large"]);

/** A refusal with its stable code and the non-secret details an administrator needs. */
export class ExchangeDenied extends Error {
  constructor(
    readonly reason: DenyReason,
    /** For the history only, never for the caller: what was found vs. expected. */
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = "ExchangeDenied";
  }
}

/** Precondition as a one-line assertion that narrows types: `ensure(rule, "rule_not_found", "…")`. */
export function ensure(condition: unknown, reason: DenyReason, detail: string): asserts condition {
  if (!condition) throw new ExchangeDenied(reason, detail);
}
