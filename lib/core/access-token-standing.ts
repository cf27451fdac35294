/**
 * Whether an access token still stands. A token is worth only as much as the grant it came
 * from: when an administrator archives its rule, its workspace or its service account, demotes
 * the account below the token's scope, removes it from the workspace, narrows or retargets
 * the rule, or takes the workspace off the rule, the token stops working at its next use — on
 * every instance, since the state is read from the shared database with the token itself.
 *
 * Checked at use rather than revoked at change: one query joins the token with the state of
 * what granted it (lib/store/access-token-grants.ts), so no code path that archives, demotes
 * or removes — console, Admin API, CLI, one added later, an operator's SQL — can forget to
 * revoke, and the token endpoint writes nothing more. Measured side by side on the shared
 * 2-core machine: the joined lookup costs ~20–30 µs more per authenticated request than a
 * token-only one on SQLite (both compiled once; the lookup built per call before cost more
 * than either), and on PostgreSQL ~0.17 ms more planning (0.6 ms more wall time in a loop on
 * the loaded machine; the pool sends no prepared statements). Revoking at change would have
 * needed three more indexes on `access_tokens`, paid by every grant on the token path (they
 * doubled the row's insert cost in a SQLite loop), and deletes as large as a rule's live
 * tokens inside the change's transaction (40,000 took ~9 s on SQLite, holding the write lock
 * the token path needs).
 *
 * The hosted platform documents that tokens minted before a rule's archive stay valid until
 * they expire; this server revokes them, because an administrator who archives a rule means it.
 * @see README "Security"
 */
import { roleAllowsScopes, type OrganizationRole } from "./scopes";

/** What the database says, at the moment of use, about the grant an access token came from. */
export interface AccessTokenGrantState {
  expiresAt: string;
  /** The token's scopes, space-separated, as granted. */
  scope: string;
  serviceAccountId: string;
  /** Null when the row is gone. */
  serviceAccount: { archived: boolean; organizationRole: OrganizationRole } | null;
  rule: { archived: boolean; scope: string; serviceAccountId: string; coversWorkspace: boolean } | null;
  /** `member`: the service account may act there (the default workspace, or an explicit membership). */
  workspace: { archived: boolean; member: boolean } | null;
}

/**
 * Why the token no longer stands (a message for the 401), or undefined when it does: the
 * exchange would still grant this scope for this service account in this workspace, as far as
 * configuration goes (the assertion is not re-verified).
 */
export function accessTokenRevocation(state: AccessTokenGrantState, nowIso: string): string | undefined {
  if (state.expiresAt <= nowIso) return "Invalid or expired access token";
  const { serviceAccount: sa, rule, workspace } = state;
  if (!sa || sa.archived) return "Access token revoked: its service account was archived";
  const scopes = state.scope.split(" ");
  if (!roleAllowsScopes(sa.organizationRole, state.scope)) return "Access token revoked: its service account no longer has the admin role that org:admin needs";
  if (!rule || rule.archived) return "Access token revoked: its federation rule was archived";
  if (rule.serviceAccountId !== state.serviceAccountId) return "Access token revoked: its federation rule now targets another service account";
  const ruleScopes = new Set(rule.scope.split(" "));
  if (!scopes.every((s) => ruleScopes.has(s))) return "Access token revoked: its federation rule no longer grants this scope";
  if (!workspace || workspace.archived) return "Access token revoked: its workspace was archived";
  if (!rule.coversWorkspace) return "Access token revoked: its federation rule is no longer enabled for its workspace";
  if (!workspace.member) return "Access token revoked: its service account was removed from its workspace";
  return undefined;
}
