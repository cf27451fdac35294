/**
 * Which scope a Claude API request needs: the one table the gateway (and anything else that
 * asks) decides by. Path families follow the SDK's resources; a path no row names is a
 * workspace endpoint the server does not know yet, and `workspace:developer` covers it, so
 * new upstream endpoints work without a code change.
 * @see docs/gateway.md#scopes
 */
import type { OAuthScope } from "./scopes";

/** One row of the table: the paths it covers and the scopes that each admit them. */
export interface ScopeRow {
  /** Name of the path family, as the audit records it (`messages.batches`). */
  family: string;
  /** Matches the path (no query string), already checked by `gatewayPathProblem`. */
  pattern: RegExp;
  /** A credential holding any one of these may call the family. */
  scopes: readonly OAuthScope[];
}

const INFERENCE: readonly OAuthScope[] = ["workspace:inference", "workspace:developer"];
const DEVELOPER: readonly OAuthScope[] = ["workspace:developer"];

/** First match wins; the last row catches every other `/v1/` path. */
const SCOPE_TABLE: readonly ScopeRow[] = [
  { family: "messages.count_tokens", pattern: /^\/v1\/messages\/count_tokens$/, scopes: INFERENCE },
  { family: "messages.batches", pattern: /^\/v1\/messages\/batches(\/|$)/, scopes: DEVELOPER },
  { family: "messages", pattern: /^\/v1\/messages$/, scopes: INFERENCE },
  { family: "models", pattern: /^\/v1\/models(\/[^/]+)?$/, scopes: INFERENCE },
  { family: "tunnels", pattern: /^\/v1\/tunnels(\/|$)/, scopes: ["workspace:manage_tunnels", "workspace:developer"] },
  { family: "organizations", pattern: /^\/v1\/organizations(\/|$)/, scopes: ["org:admin"] },
  { family: "workspace", pattern: /^\/v1\//, scopes: DEVELOPER },
];

/** The table's row for `path`; undefined only for paths outside `/v1/`. */
function scopeRowFor(path: string): ScopeRow | undefined {
  return SCOPE_TABLE.find((row) => row.pattern.test(path));
}

/**
 * The family an audit row records: the table's name, or for the catch-all row the path's
 * first segment (`agents`, `files`, `skills`…), so usage can be grouped by endpoint family.
 */
export function pathFamily(path: string): string {
  const row = scopeRowFor(path);
  if (!row) return "other";
  if (row.family !== "workspace") return row.family;
  const segment = /^\/v1\/([a-z0-9_]{1,64})(\/|$)/.exec(path)?.[1];
  return segment ?? "other";
}

/** Whether a holder of `scopes` may call `path`. */
export function scopesAllow(scopes: ReadonlySet<string>, path: string): boolean {
  const row = scopeRowFor(path);
  return row !== undefined && row.scopes.some((s) => scopes.has(s));
}

/** What an API key (workspace-scoped) may do: the same as a `workspace:developer` token, in its workspace. */
export const API_KEY_SCOPES: ReadonlySet<string> = new Set<OAuthScope>(["workspace:developer"]);

/**
 * Why a request path cannot be checked against the table, or undefined. The scope is decided
 * on the path as sent, and the upstream must see the same path: a dot segment, an empty
 * segment or an encoded slash, dot or backslash could be resolved differently upstream
 * (`/v1/models/../messages/batches` would pass as `models`), so such paths are refused.
 */
export function gatewayPathProblem(path: string): string | undefined {
  if (!path.startsWith("/v1/")) return "path: must start with /v1/";
  if (path.length > 2048) return "path: must be at most 2048 characters";
  if (/[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/.test(path)) return "path: contains characters that must be percent-encoded";
  if (/%(2f|5c|2e|00)/i.test(path)) return "path: must not contain an encoded slash, backslash, dot or NUL";
  if (/\/\.{1,2}(\/|$)/.test(path) || path.includes("//")) return "path: must not contain empty or dot segments";
  return undefined;
}
