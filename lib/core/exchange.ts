/**
 * The token exchange decision: may this outside identity become this service account?
 * Reads as the list of checks in docs/behaviour.md, in that order; each failure is an
 * `ExchangeDenied` with a stable reason. Persistence (consuming the `jti`, storing the token
 * and the history row together) is the caller's, through `ExchangeStore`.
 * @see RFC 7523 (JWT bearer grant), docs/behaviour.md#token-exchange
 */
import { ensure, ExchangeDenied } from "./deny-reasons";
import { explainRuleMatch, firstFailure } from "./match";
import { accessTokenLifetime } from "./token-lifetime";
import type { Claims, IssuerPolicy, KeyResolver, RulePolicy } from "./types";
import { decodeAssertionUnverified, verifyAssertion } from "./verify-assertion";

export const JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** @see docs/behaviour.md#exchange-request: the assertion may be at most 16 KiB. */
export const MAX_ASSERTION_BYTES = 16 * 1024;

export interface ExchangeRequest {
  grant_type: string;
  assertion: string;
  federation_rule_id: string;
  organization_id: string;
  service_account_id?: string | undefined;
  workspace_id?: string | undefined;
}

export interface WorkspaceRef {
  id: string;
  isDefault: boolean;
  archived: boolean;
}

/** Everything the decision needs about one rule, loaded in one go. */
export interface RuleContext {
  rule: RulePolicy;
  issuer: IssuerPolicy;
  serviceAccount: { id: string; organizationRole: "admin" | "developer"; archived: boolean };
  /** The workspaces the rule enables, when the loader read them with the rule; otherwise `enabledWorkspaces` is asked. */
  workspaces?: WorkspaceRef[];
  /**
   * Whether `jti` was already consumed for the rule's issuer, when the loader read it with the
   * rule (one read instead of two on the token path). The exchange uses it only for the same
   * `jti` the verified token carries; otherwise it asks `jtiUsed`.
   */
  consumedJti?: { jti: string; used: boolean };
}

export interface ExchangeDeps {
  /** The installation's organization. */
  organizationId: string;
  /** `aud` a rule without `match.audience` expects. */
  defaultAudience: string;
  /** Seconds since the epoch. */
  now(): number;
  /** `jti`: the assertion's, as decoded before verification, for `RuleContext.consumedJti`. */
  loadRule(ruleId: string, jti?: string): Promise<RuleContext | undefined>;
  keysFor(issuer: IssuerPolicy): KeyResolver;
  jtiUsed(issuerId: string, jti: string): Promise<boolean>;
  /** Resolve `wrkspc_…`/`default` in the organization; undefined when it does not exist. */
  findWorkspace(ref: string): Promise<WorkspaceRef | undefined>;
  /** The workspaces the rule enables (all live ones when it applies to all). */
  enabledWorkspaces(rule: RulePolicy): Promise<WorkspaceRef[]>;
  isMember(serviceAccountId: string, workspace: WorkspaceRef): Promise<boolean>;
}

/** A granted exchange, before persistence. */
export interface ExchangeGrant {
  rule: RulePolicy;
  issuer: IssuerPolicy;
  serviceAccountId: string;
  workspaceId: string;
  scope: string;
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
  ensure(req.grant_type === JWT_BEARER_GRANT, "invalid_request", `grant_type must be ${JWT_BEARER_GRANT}`);
  ensure(Buffer.byteLength(req.assertion) <= MAX_ASSERTION_BYTES, "assertion_too_large", `assertion is ${Buffer.byteLength(req.assertion)} bytes; the limit is ${MAX_ASSERTION_BYTES}`);

  // Decoded once, here: for the jti the rule's read can check too, and for verifyAssertion.
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

  const failed = firstFailure(explainRuleMatch(rule.match, claims, { defaultAudience: deps.defaultAudience }));
  if (failed) throw new ExchangeDenied(failed.reason, failed.message);

  const jti = typeof claims.jti === "string" && issuer.check_jti ? claims.jti : null;
  if (jti !== null) {
    const used = ctx.consumedJti?.jti === jti ? ctx.consumedJti.used : await deps.jtiUsed(issuer.id, jti);
    ensure(!used, "jti_reused", `jti ${JSON.stringify(jti)} was already exchanged`);
  }

  ensure(!serviceAccount.archived, "service_account_archived", `service account ${serviceAccount.id} is archived`);
  ensure(
    !req.service_account_id || req.service_account_id === serviceAccount.id,
    "service_account_mismatch",
    `service_account_id ${req.service_account_id} was requested but the rule targets ${serviceAccount.id}`,
  );
  ensure(
    !rule.oauth_scope.split(" ").includes("org:admin") || serviceAccount.organizationRole === "admin",
    "scope_not_allowed",
    `the rule grants org:admin but service account ${serviceAccount.id} has role ${serviceAccount.organizationRole}`,
  );

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
