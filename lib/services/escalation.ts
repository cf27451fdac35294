/**
 * No self-escalation: nothing done with a federated access token may let any workload obtain
 * more than a signed-in administrator granted. A workload holding an `org:admin` token may
 * manage what that scope covers, but not the settings that decide who gets `org:admin` (or
 * another scope outside `workspace:developer` / `workspace:inference`) — else it could add a
 * key of its own to the issuer behind its rule and sign itself new assertions forever, or
 * promote a service account to admin. Those stay with console sessions and admin keys.
 *
 * The rule scopes themselves are checked by `canManageScope` (context.ts) in rules.ts; this
 * file holds the rest of the policy, one assertion per path. Each refusal is 403 and says
 * why and where it can be done instead.
 * @see README "Security", SDK `issuers.update`, `serviceAccounts.create` / `update` docs.
 */
import type { Kysely, Transaction } from "kysely";
import { forbidden } from "../core/errors";
import type { Database } from "../store/schema";
import { canManageScope, type Principal } from "./context";

type Db = Kysely<Database> | Transaction<Database>;

/** Callers whose credential a workload obtained without a person: federated access tokens. */
const isWorkload = (p: Principal) => p.kind === "access_token";

const INSTEAD = "sign in to the console as an admin, or use an admin key";

/**
 * An access token may not update an issuer that backs a live rule with a scope it could not
 * set on a rule itself: its keys, discovery source, URL, lifetime limit and single-use setting
 * decide which assertions that rule accepts. The platform refuses any update of such an issuer
 * to OAuth callers; so does this.
 */
export async function assertMayUpdateIssuer(db: Db, principal: Principal, issuer: { id: string; name: string }): Promise<void> {
  if (!isWorkload(principal)) return;
  const rules = await db.selectFrom("federation_rules").select(["name", "oauth_scope"]).where("issuer_id", "=", issuer.id).where("archived_at", "is", null).execute();
  const guarded = rules.find((r) => !canManageScope(principal, r.oauth_scope));
  if (guarded) {
    throw forbidden(
      `Access tokens cannot update federation issuer ${issuer.name}: it backs rule ${guarded.name} (scope ${guarded.oauth_scope}), and whoever controls the issuer's keys, URL or limits decides who obtains that scope; ${INSTEAD}`,
    );
  }
}

/**
 * An access token may not create a service account with `organization_role: admin`, nor set
 * that role on one (even when unchanged, as the platform): an admin service account is what
 * an `org:admin` rule needs.
 */
export function assertMaySetOrganizationRole(principal: Principal, role: "admin" | "developer" | null | undefined): void {
  if (isWorkload(principal) && role === "admin") {
    throw forbidden(`Access tokens cannot set organization_role admin: an admin service account can be given org:admin, so only a person may make one; ${INSTEAD}`);
  }
}

/**
 * An access token may not create, or reactivate, an API key that acts as an admin service
 * account: a key does not expire with the token, so it would outlive what the administrator
 * granted.
 */
export function assertMayIssueKeyFor(principal: Principal, serviceAccount: { id: string; organization_role: "admin" | "developer" } | undefined): void {
  if (isWorkload(principal) && serviceAccount?.organization_role === "admin") {
    throw forbidden(`Access tokens cannot create or reactivate API keys for the admin service account ${serviceAccount.id}: such a key would hold admin powers beyond the token's lifetime; ${INSTEAD}`);
  }
}

/** Admin keys (`sk-ant-admin01-`) have an owner's powers: only a person (an owner) or the administration CLI creates them. */
export function assertMayCreateAdminKey(principal: Principal | null): void {
  if (principal && principal.kind !== "user" && principal.kind !== "system") {
    throw forbidden(`Only an owner signed in to the console, or the wif admin-keys command, can create admin keys`);
  }
}
