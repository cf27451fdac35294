/**
 * Plain-words explanations of deny reasons: what happened, and how to fix it. The same
 * text appears in the authentication history and the token tester, so an administrator
 * reading "401 Authentication failed" in a CI log can find out why.
 */
import type { DenyReason } from "../core/deny-reasons";
import { MAX_ASSERTION_BYTES } from "../core/exchange-checks";

const LIMIT_KIB = MAX_ASSERTION_BYTES / 1024;

export interface ReasonExplanation {
  title: string;
  /** What the server found, in words a person reads once. */
  explanation: string;
  /** What to change. */
  fix: string;
  /** Which side has to change: the workload's request/token, or the configuration. */
  side: "request" | "token" | "configuration";
}

export const REASON_EXPLANATIONS: Record<DenyReason, ReasonExplanation> = {
  invalid_request: {
    title: "Malformed request",
    explanation: "The request was not a JWT-bearer token request the server could read: a field was missing, empty or of the wrong type.",
    fix: "Send grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer with assertion, federation_rule_id and organization_id (the official SDKs do this for you).",
    side: "request",
  },
  assertion_too_large: {
    title: `Assertion over ${LIMIT_KIB} KiB`,
    explanation: `The identity token is larger than the ${LIMIT_KIB} KiB the token endpoint accepts.`,
    fix: "Check that ANTHROPIC_IDENTITY_TOKEN_FILE points at the OIDC token itself, not at a file holding several tokens or a JSON wrapper.",
    side: "token",
  },
  rule_not_found: {
    title: "Unknown federation rule",
    explanation: "No federation rule has the federation_rule_id the workload sent.",
    fix: "Copy the rule ID (fdrl_…) from the rule's page into ANTHROPIC_FEDERATION_RULE_ID.",
    side: "request",
  },
  organization_mismatch: {
    title: "Wrong organization",
    explanation: "The organization_id in the request is not this server's organization.",
    fix: "Set ANTHROPIC_ORGANIZATION_ID to the organization ID shown on the console's overview page.",
    side: "request",
  },
  rule_archived: {
    title: "Rule archived",
    explanation: "The federation rule exists but has been archived, so it no longer admits anyone.",
    fix: "Create a new rule (archived rules cannot be restored) and point the workload at its ID.",
    side: "configuration",
  },
  issuer_archived: {
    title: "Issuer archived",
    explanation: "The rule's federation issuer has been archived, so none of its tokens are accepted.",
    fix: "Register the issuer again and create a rule on it.",
    side: "configuration",
  },
  malformed_jwt: {
    title: "Not a well-formed JWT",
    explanation: "The assertion is not a compact JWS with three base64url parts and JSON header and payload.",
    fix: "Make sure the workload sends the raw OIDC token (eyJ…), without quotes, whitespace or a 'Bearer ' prefix.",
    side: "token",
  },
  algorithm_not_allowed: {
    title: "Signing algorithm not allowed",
    explanation: "The token's alg is not one of RS256/384/512, PS256/384/512, ES256/384/512. Unsigned (none) and shared-secret (HS*) tokens are never accepted.",
    fix: "Use an identity provider that signs with an asymmetric key (all mainstream OIDC providers do).",
    side: "token",
  },
  kid_missing: {
    title: "No key ID in the token",
    explanation: "The token's header has no kid, so the server cannot tell which of the issuer's keys signed it.",
    fix: "Configure the identity provider to include kid in the JWT header.",
    side: "token",
  },
  unknown_kid: {
    title: "Signing key not found",
    explanation:
      "The issuer's keys were fetched, but none has the token's kid; the detail lists the kids this server holds and where and when it got them. An unknown kid triggers one refetch, at most every 30 seconds per issuer.",
    fix: "Compare the token's kid with the listed ones. If the provider has just rotated its keys, try again in 30 seconds. If the token's iss belongs to another provider, point the workload at a rule of that provider's issuer. For pasted (inline) keys, paste the provider's current key set into the issuer.",
    side: "configuration",
  },
  jwks_unavailable: {
    title: "Issuer keys could not be fetched",
    explanation:
      "This server holds no keys for the issuer: fetching its discovery document or key set failed. The detail names the URL and what went wrong (unreachable, a refused private address, a timeout, an HTTP error, a reply that is not a JSON key set, or a discovery document naming another issuer).",
    fix: "Open the issuer's page: it shows the last fetch's error and the next try. Check that the URL in the detail answers from this server's network over https, at a public address, with the provider's JSON key set; correct the issuer URL or JWKS URL if not, then test again.",
    side: "configuration",
  },
  signature_invalid: {
    title: "Bad signature",
    explanation: "The signature does not verify with the issuer's key of that kid: the token was altered, or signed by someone else's key.",
    fix: "Make sure the rule's issuer is the provider that minted the token; never edit a token by hand.",
    side: "token",
  },
  unsupported_header: {
    title: "Unsupported JWT header",
    explanation: "The header asks for a critical extension (crit) or an unencoded payload (b64:false) that this server does not support.",
    fix: "Use a standard OIDC token; these headers are not used by identity providers' ID tokens.",
    side: "token",
  },
  issuer_mismatch: {
    title: "Issuer differs",
    explanation: "The token's iss is not byte-for-byte the issuer URL registered for the rule's issuer (a trailing slash, case, port or path difference counts).",
    fix: "Copy the token's iss exactly into the issuer's URL, or point the workload at a rule whose issuer matches.",
    side: "configuration",
  },
  missing_claim: {
    title: "Required claim missing",
    explanation: "The token lacks sub, iat or exp (or one of them has the wrong type).",
    fix: "Configure the provider to include sub, iat and exp; all OIDC ID tokens should.",
    side: "token",
  },
  token_expired: {
    title: "Token expired",
    explanation: "The token's exp is in the past (30 s clock leeway allowed).",
    fix: "Request a fresh token right before the exchange; CI tokens typically live 5 minutes. Check the workload's clock.",
    side: "token",
  },
  token_not_yet_valid: {
    title: "Token not yet valid",
    explanation: "The token's nbf is more than 30 s in the future.",
    fix: "Check the clocks of the workload and of the identity provider.",
    side: "token",
  },
  iat_in_future: {
    title: "Issued in the future",
    explanation: "The token's iat is more than 30 s in the future.",
    fix: "Check the clocks of the workload and of the identity provider.",
    side: "token",
  },
  lifetime_exceeded: {
    title: "Token lives too long",
    explanation: "exp − iat is longer than the issuer's max_jwt_lifetime_seconds.",
    fix: "Request a shorter-lived token (e.g. the projected service-account token's expirationSeconds), or raise the issuer's maximum lifetime.",
    side: "configuration",
  },
  audience_mismatch: {
    title: "Audience differs",
    explanation: "The token's aud does not contain the audience the rule expects (the rule's audience, or the server's default audience when the rule names none).",
    fix: "Request the token with the expected audience (GitHub: core.getIDToken(aud) or &audience=…; Kubernetes: the projected volume's audience), or set the rule's audience to the token's.",
    side: "token",
  },
  match_subject_prefix: {
    title: "Subject does not match",
    explanation: "The token's sub does not equal the rule's subject (or start with it, when the rule ends in *).",
    fix: "Compare the two: GitHub subjects differ by trigger (…:ref:refs/heads/main, …:environment:prod, …:pull_request), and matching is case-sensitive.",
    side: "configuration",
  },
  match_claims: {
    title: "Claim does not match",
    explanation: "A claim the rule pins has another value in the token (exact, case-sensitive, strings only).",
    fix: "Compare the pinned value with the token's; numeric claims (IDs) must be matched with a condition or as the string the provider sends.",
    side: "configuration",
  },
  match_condition: {
    title: "Condition is false",
    explanation: "The rule's CEL condition evaluated to false (or failed, e.g. on a claim the token lacks).",
    fix: "Try the condition against this token in the token tester; use has(claims.x) before reading optional claims.",
    side: "configuration",
  },
  jti_reused: {
    title: "Token already used",
    explanation: "A token with this jti was already exchanged; the issuer enforces single use (check_jti).",
    fix: "Fetch a fresh identity token for each exchange. If several processes share one token, let one exchange and share the access token, or turn off check_jti on the issuer.",
    side: "token",
  },
  service_account_archived: {
    title: "Service account archived",
    explanation: "The rule's target service account has been archived.",
    fix: "Point the rule at a live service account.",
    side: "configuration",
  },
  service_account_mismatch: {
    title: "Wrong service account",
    explanation: "The request named a service_account_id other than the rule's target.",
    fix: "Fix or remove ANTHROPIC_SERVICE_ACCOUNT_ID; it must equal the rule's target.",
    side: "request",
  },
  scope_not_allowed: {
    title: "Scope beyond the service account's role",
    explanation: "The rule grants org:admin but its service account is no longer an admin.",
    fix: "Restore the service account's admin role, or narrow the rule's scope.",
    side: "configuration",
  },
  workspace_id_required: {
    title: "Workspace must be named",
    explanation: "The rule is enabled for several workspaces and the request did not say which one.",
    fix: "Set ANTHROPIC_WORKSPACE_ID to one of the rule's workspaces.",
    side: "request",
  },
  workspace_not_found: {
    title: "Unknown workspace",
    explanation: "The requested workspace does not exist or is archived.",
    fix: "Set ANTHROPIC_WORKSPACE_ID to a live workspace ID (wrkspc_…) or to default.",
    side: "request",
  },
  workspace_not_allowed: {
    title: "Workspace not enabled for the rule",
    explanation: "The requested workspace is not one the rule is enabled for.",
    fix: "Add the workspace to the rule, or request one of the rule's workspaces.",
    side: "configuration",
  },
  service_account_not_in_workspace: {
    title: "Service account not in the workspace",
    explanation: "The rule's service account is not a member of the workspace the token would be scoped to.",
    fix: "Add the service account to the workspace (service account page → workspaces).",
    side: "configuration",
  },
};

export function explainReason(reason: string): ReasonExplanation {
  // Own properties only: a stored code such as "constructor" must not find Object's.
  return (
    (Object.hasOwn(REASON_EXPLANATIONS, reason) ? REASON_EXPLANATIONS[reason as DenyReason] : undefined) ?? {
      title: reason,
      explanation: "This reason code is not known to this version of the console.",
      fix: "Check the server's release notes.",
      side: "configuration",
    }
  );
}
