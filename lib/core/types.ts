/**
 * Core domain types shared by every way in (token endpoint, Admin API, console).
 * Plain data: no Next, no HTTP framework, no SQL.
 */

/** Claims of a verified (or merely decoded) JWT. Values are whatever JSON the issuer sent. */
export type Claims = Record<string, unknown>;

/** @see docs/behaviour.md#rule-match — all populated fields must pass. */
export interface RuleMatch {
  /** Exact `sub`, or a prefix when it ends in `*`. */
  subject_prefix?: string | null;
  /** Must equal `aud` (or one element of an array `aud`); defaults to the configured audience. */
  audience?: string | null;
  /** Exact byte-for-byte matches on top-level string claims. */
  claims?: Record<string, string> | null;
  /** CEL expression over the single variable `claims`; must evaluate to a boolean. */
  condition?: string | null;
}

export type JwksConfig =
  | { type: "discovery"; discovery_base?: string | null; ca_cert_pem?: string | null }
  | { type: "explicit_url"; url: string; ca_cert_pem?: string | null }
  | { type: "inline"; keys: Array<Record<string, unknown>> };

/** What the verifier needs to know about an issuer. */
export interface IssuerPolicy {
  id: string;
  issuer_url: string;
  jwks: JwksConfig;
  check_jti: boolean;
  max_jwt_lifetime_seconds: number;
  archived_at: string | null;
}

/** What the matcher needs to know about a rule. */
export interface RulePolicy {
  id: string;
  organization_id: string;
  issuer_id: string;
  match: RuleMatch;
  service_account_id: string;
  oauth_scope: string;
  token_lifetime_seconds: number;
  workspace_id: string | null;
  workspace_ids: string[];
  applies_to_all_workspaces: boolean;
  archived_at: string | null;
}

/**
 * Where the verifier gets an issuer's public keys. Implementations: inline keys (no fetch)
 * and the cached remote resolver in `lib/jwks/`. Throws `ExchangeDenied` with `unknown_kid`
 * or `jwks_unavailable`; never returns a key whose `kid` differs from the one asked for.
 */
export interface KeyResolver {
  getKey(kid: string, alg: string): Promise<CryptoKey | import("node:crypto").KeyObject | Uint8Array>;
}

/** Injected clock: seconds since the epoch. Tests pass a fixed one. */
