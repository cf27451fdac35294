/**
 * OAuth scopes: the vocabulary a rule grants from, which organization role may hold which
 * scope, and what an access token may actually do — the rule's scope intersected with its
 * service account's current role. The exchange, authentication and rule validation all ask
 * here, so a scope reserved to admins is reserved everywhere at once.
 * @see docs/behaviour.md#scopes-and-effective-permissions
 */

export type OAuthScope = "workspace:developer" | "workspace:inference" | "workspace:manage_tunnels" | "org:admin";
export const OAUTH_SCOPES: readonly OAuthScope[] = ["workspace:developer", "workspace:inference", "workspace:manage_tunnels", "org:admin"];

export type OrganizationRole = "admin" | "developer";

/** Administration of the organization (the Admin API): only an `admin` service account may hold it. */
export const ORG_ADMIN_SCOPE = "org:admin" satisfies OAuthScope;

/** Whether `role` may hold `scope`: every role any workspace scope, only `admin` `org:admin`. */
export function roleAllowsScope(role: OrganizationRole, scope: string): boolean {
  return scope !== ORG_ADMIN_SCOPE || role === "admin";
}

/**
 * Whether `role` may hold every scope of a space-separated `oauthScope`. Runs on every
 * exchange: an admin needs no look at the scope at all.
 */
export function roleAllowsScopes(role: OrganizationRole, oauthScope: string): boolean {
  return role === "admin" || !oauthScope.split(" ").includes(ORG_ADMIN_SCOPE);
}

/**
 * What a token issued under `oauthScope` may do now: the scopes its service account's current
 * role allows. A service account demoted from admin loses `org:admin` at once.
 */
export function effectiveScopes(oauthScope: string, role: OrganizationRole): Set<string> {
  return new Set(oauthScope.split(" ").filter((scope) => roleAllowsScope(role, scope)));
}
