/**
 * The token exchange decision: may this outside identity become this service account?
 * Reads as the checks of exchange-checks.ts, in that order; each failure is an
 * `ExchangeDenied` with a stable reason. Issuing the token is issuance.ts's; persistence
 * (consuming the `jti`, storing the token and the history row together) is the caller's,
 * through the ports of ports.ts.
 * @see RFC 7523 (JWT bearer grant), docs/behaviour.md#token-exchange
 */
import { ensure, ExchangeDenied } from "./deny-reasons";
import { MAX_ASSERTION_BYTES } from "./exchange-checks";
import { explainRuleMatch, firstFailure } from "./match";
import type { ExchangeDeps, WorkspaceRef } from "./ports";
import { roleAllowsScopes } from "./scopes";
import { accessTokenLifetime } from "./token-lifetime";
import type { Claims, IssuerPolicy, RulePolicy } from "./types";
import { decodeAssertionUnverified, verifyAssertion } from "./verify-assertion";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

export interface ExchangeRequest {
  grant_type: string;
  assertion: string;
  federation_rule_id: string;
  organization_id: string;
  service_account_id?: string | undefined;
  workspace_id?: string | undefined;
}

/** A granted exchange, before issuance: what the token will be, for whom and how long. */
export interface ExchangeGrant {
  rule: RulePolicy;
  issuer: IssuerPolicy;
  serviceAccountId: string;
  workspaceId: string;
  scope: string;
  /** Seconds: token-lifetime.ts, with the clock the assertion's times were checked against. */
  expiresIn: number;
  subject: string;
  claims: Claims;
  /** Set when the issuer enforces single use and the token carries a `jti`. */
  jti: { value: string; expiresAt: number } | null;
}

/** What the history records of a decision, granted or not, before the caller adds its own fields. */
export interface DecisionTrace {
  rule?: RulePolicy;
  issuer?: IssuerPolicy;
  claims?: Claims;
  claimsVerified: boolean;
  /** The workspace the exchange was for, once known: the requested one if it exists, else the resolved one. */
  workspaceId?: string;
}

/**
 * Decide an exchange. Throws `ExchangeDenied`; fills `trace` as it learns things, so that a
 * denial can still be recorded with the rule, issuer and claims it got as far as.
 */
export async function decideExchange(req: ExchangeRequest, deps: ExchangeDeps, trace: DecisionTrace): Promise<ExchangeGrant> {
  // check: request
  ensure(req.grant_type === JWT_BEARER_GRANT, "invalid_request", `grant_type must be ${JWT_BEARER_GRANT}`);
  ensure(Buffer.byteLength(req.assertion) <= MAX_ASSERTION_BYTES, "assertion_too_large", `assertion is ${Buffer.byteLength(req.assertion)} bytes; the limit is ${MAX_ASSERTION_BYTES}`);

  // check: rule. The assertion is decoded once, here: for the jti the rule's read can check too, and for verifyAssertion.
  const decoded = decodeAssertionUnverified(req.assertion);
  const unverifiedJti = !(decoded instanceof ExchangeDenied) && typeof decoded.claims.jti === "string" ? decoded.claims.jti : undefined;
  const ctx = await deps.loadRule(req.federation_rule_id, unverifiedJti);
  ensure(ctx, "rule_not_found", `no federation rule ${req.federation_rule_id}`);
  const { rule, issuer, serviceAccount } = ctx;
  trace.rule = rule;
  trace.issuer = issuer;
  ensure(req.organization_id === deps.organizationId && rule.organization_id === deps.organizationId, "organization_mismatch", `organization_id ${req.organization_id} does not own rule ${rule.id}`);
  ensure(!rule.archived_at, "rule_archived", `rule ${rule.id} was archived at ${rule.archived_at}`);
  ensure(!issuer.archived_at, "issuer_archived", `issuer ${issuer.id} was archived at ${issuer.archived_at}`);

  // checks: header, key, signature, claims
  const now = deps.now();
  let claims: Claims;
  try {
    ({ claims } = await verifyAssertion(req.assertion, issuer, deps.keysFor(issuer), { now, decoded }));
  } catch (err) {
    // Record what the token claimed even though it did not verify: the history marks it
    // unverified, and it is what an administrator needs to see why.
    if (!(decoded instanceof ExchangeDenied)) trace.claims = decoded.claims;
    throw err;
  }
  trace.claims = claims;
  trace.claimsVerified = true;

  // check: match
  const failed = firstFailure(explainRuleMatch(rule.match, claims, { defaultAudience: deps.defaultAudience }));
  if (failed) throw new ExchangeDenied(failed.reason, failed.message);

  // check: jti
  const jti = typeof claims.jti === "string" && issuer.check_jti ? claims.jti : null;
  if (jti !== null) {
    const used = ctx.consumedJti?.jti === jti ? ctx.consumedJti.used : await deps.jtiUsed(issuer.id, jti);
    ensure(!used, "jti_reused", `jti ${JSON.stringify(jti)} was already exchanged`);
  }

  // check: service_account
  ensure(!serviceAccount.archived, "service_account_archived", `service account ${serviceAccount.id} is archived`);
  ensure(
    !req.service_account_id || req.service_account_id === serviceAccount.id,
    "service_account_mismatch",
    `service_account_id ${req.service_account_id} was requested but the rule targets ${serviceAccount.id}`,
  );

  // check: scope
  ensure(
    roleAllowsScopes(serviceAccount.organizationRole, rule.oauth_scope),
    "scope_not_allowed",
    `the rule grants org:admin but service account ${serviceAccount.id} has role ${serviceAccount.organizationRole}`,
  );

  // check: workspace
  const workspace = await resolveWorkspace(req, rule, ctx.workspaces ?? (await deps.enabledWorkspaces(rule)), deps, trace);
  trace.workspaceId = workspace.id;
  const membershipEnforced = rule.applies_to_all_workspaces || rule.workspace_ids.length > 0;
  ensure(
    !membershipEnforced || (await deps.isMember(serviceAccount.id, workspace)),
    "service_account_not_in_workspace",
    `service account ${serviceAccount.id} is not a member of workspace ${workspace.id}`,
  );

  const exp = claims.exp as number;
  return {
    rule,
    issuer,
    serviceAccountId: serviceAccount.id,
    workspaceId: workspace.id,
    scope: rule.oauth_scope,
    expiresIn: accessTokenLifetime(rule.token_lifetime_seconds, exp, now),
    subject: claims.sub as string,
    claims,
    jti: jti === null ? null : { value: jti, expiresAt: exp },
  };
}

/**
 * The one workspace the token is scoped to: the requested one if the rule enables it; else
 * the rule's sole workspace; else the default workspace if the rule covers it.
 * @see docs/behaviour.md#workspace-resolution; the official SDK's `OIDCFederationConfig.workspaceId`.
 */
async function resolveWorkspace(req: ExchangeRequest, rule: RulePolicy, enabled: WorkspaceRef[], deps: ExchangeDeps, trace: DecisionTrace): Promise<WorkspaceRef> {
  if (req.workspace_id) {
    const ws = await deps.findWorkspace(req.workspace_id);
    ensure(ws && !ws.archived, "workspace_not_found", `workspace ${req.workspace_id} does not exist or is archived`);
    trace.workspaceId = ws.id;
    ensure(enabled.some((e) => e.id === ws.id), "workspace_not_allowed", `rule ${rule.id} is not enabled for workspace ${ws.id}`);
    return ws;
  }
  const live = enabled.filter((w) => !w.archived);
  if (live.length === 1) return live[0]!;
  const fallback = live.find((w) => w.isDefault);
  ensure(fallback, "workspace_id_required", `rule ${rule.id} is enabled for ${live.length} workspaces; the request must name one with workspace_id`);
  return fallback;
}
