/**
 * The token tester: what the exchange would decide about a token, with every check shown.
 * It decodes the token, names its provider, verifies it against the registered issuer's keys,
 * and for one rule — or every live rule of the token's issuer — runs the exchange's own
 * decision (`decideExchange`, read-only: persistence is the caller's, so no `jti` is ever
 * consumed) and walks the exchange's checks (exchange-checks.ts) to show each: rows in
 * tester-checks.ts, hints in tester-hints.ts, the report's shape in tester.ts.
 */
import { ExchangeDenied } from "../core/deny-reasons";
import { decideExchange, JWT_BEARER_GRANT, type DecisionTrace } from "../core/exchange";
import { EXCHANGE_CHECKS, exchangeCheck, type ExchangeCheck } from "../core/exchange-checks";
import type { ExchangeDeps } from "../core/ports";
import { ORG_ADMIN_SCOPE, roleAllowsScopes } from "../core/scopes";
import { explainAccessTokenLifetime } from "../core/token-lifetime";
import type { Claims } from "../core/types";
import { decodeAssertionUnverified } from "../core/verify-assertion";
import { recognizeProvider, type RecognizedProvider } from "../providers/recognize";
import { explainReason } from "./explain-reason";
import { ruleTriggerMatrix, type TriggerMatrix } from "./github-triggers";
import type { IssuerFinding, NamedRule, RegisteredIssuer, RuleReport, RuleVerdict, TesterCheck, TesterDeps, TesterInput, TokenReport } from "./tester";
import { decidedRow, fromDenial, matchRows, registeredRows, signatureChecks, type Decision } from "./tester-checks";
import { describeIssuerDifference, malformedHints, quote, type HintContext } from "./tester-hints";
import { describeTimes, isNumber, isoOf } from "./token-times";

/** Report fields every rule of one token shares. */
interface Shared {
  provider: RecognizedProvider | null;
  issuers: RegisteredIssuer[];
  now: number;
}

/** Rows of one rule's checks, by check: the tester walks them in the exchange's order. */
type RowsByCheck = Record<ExchangeCheck, () => TesterCheck[]>;
const walk = (rows: RowsByCheck): TesterCheck[] => EXCHANGE_CHECKS.flatMap((c) => rows[c.check]());

const triggerMatrixFor = (rule: NamedRule, deps: TesterDeps): TriggerMatrix | null =>
  ruleTriggerMatrix(rule.context.issuer.issuer_url, rule.context.rule.match, { defaultAudience: deps.defaultAudience, demoIssuerUrl: deps.demoIssuerUrl });

/** The exchange's own decision for one rule, read-only: nothing is persisted, so no `jti` is consumed. */
async function decide(rule: NamedRule, jwt: string, input: Extract<TesterInput, { kind: "token" }>, deps: TesterDeps): Promise<Decision> {
  const exchangeDeps: ExchangeDeps = { ...deps, loadRule: async (id) => (id === rule.context.rule.id ? rule.context : undefined) };
  const trace: DecisionTrace = { claimsVerified: false };
  try {
    const grant = await decideExchange(
      {
        grant_type: JWT_BEARER_GRANT,
        assertion: jwt,
        federation_rule_id: rule.context.rule.id,
        organization_id: deps.organizationId,
        workspace_id: input.workspaceId,
        service_account_id: input.serviceAccountId,
      },
      exchangeDeps,
      trace,
    );
    return { grant };
  } catch (err) {
    return { denied: fromDenial(err) };
  }
}

async function checkRuleWithToken(rule: NamedRule, jwt: string, decoded: { header: Record<string, unknown>; claims: Claims }, input: Extract<TesterInput, { kind: "token" }>, deps: TesterDeps, shared: Shared): Promise<RuleReport> {
  const { rule: policy, issuer, serviceAccount } = rule.context;
  const decision = await decide(rule, jwt, input, deps);
  const ctx: HintContext = { claims: decoded.claims, provider: shared.provider, issuers: shared.issuers, ruleIssuer: issuer, match: policy.match, defaultAudience: deps.defaultAudience };
  const jti = decoded.claims.jti;
  const signature = await signatureChecks(jwt, decoded.header, issuer, deps, shared.now, { tokenIss: decoded.claims.iss });
  const checks = walk({
    // A pasted token is at most 16 KiB (lib/schemas/tester.ts) and the tester fills in the request itself.
    request: () => [],
    rule: () => [
      decidedRow("rule", decision, {
        found: `rule ${policy.archived_at ? `archived ${policy.archived_at}` : "live"}, issuer ${issuer.archived_at ? `archived ${issuer.archived_at}` : "live"}`,
        expected: "rule and issuer live",
        passMessage: "the rule and its issuer are live and belong to this organization",
      }),
    ],
    header: () => [signature.header],
    key: () => [signature.key],
    signature: () => [signature.signature],
    claims: () => registeredRows(decoded.claims, ctx, shared.now),
    match: () => matchRows(ctx),
    jti: () => [
      decidedRow("jti", decision, {
        found: jti,
        expected: issuer.check_jti ? "not exchanged before" : "not checked (the issuer's check_jti is off)",
        passMessage: !issuer.check_jti ? "the issuer does not enforce single use" : typeof jti === "string" ? "this jti has not been exchanged yet (the tester never consumes it)" : "the token has no jti; nothing to check",
        hints: ["A live exchange (or a workload) has already used this token. Fetch or mint a fresh one; if several processes share one token, let one exchange and share the access token."],
      }),
    ],
    service_account: () => [
      decidedRow("service_account", decision, {
        found: `${serviceAccount.id} (${serviceAccount.archived ? "archived" : "live"})${input.serviceAccountId ? `, ${input.serviceAccountId} requested` : ""}`,
        expected: "live, and the one requested (if any)",
        passMessage: `service account ${serviceAccount.id} is live`,
      }),
    ],
    scope: () => [
      decidedRow("scope", decision, {
        found: serviceAccount.organizationRole,
        expected: roleAllowsScopes("developer", policy.oauth_scope) ? "any role" : `admin (the rule grants ${ORG_ADMIN_SCOPE})`,
        passMessage: `role ${serviceAccount.organizationRole} allows ${policy.oauth_scope}`,
      }),
    ],
    workspace: () => [
      decidedRow("workspace", decision, {
        found: "grant" in decision ? decision.grant.workspaceId : input.workspaceId ? `${input.workspaceId} requested` : "none requested",
        expected: input.workspaceId ? `${input.workspaceId}, enabled for the rule` : "one workspace the rule covers (or the default)",
        passMessage: "grant" in decision ? `the token would be scoped to ${decision.grant.workspaceId}` : "resolved",
      }),
    ],
  });
  const verdict: RuleVerdict =
    "grant" in decision
      ? {
          outcome: "granted",
          serviceAccountId: decision.grant.serviceAccountId,
          workspaceId: decision.grant.workspaceId,
          scope: decision.grant.scope,
          expiresIn: decision.grant.expiresIn,
          configuredLifetimeSeconds: policy.token_lifetime_seconds,
          // The exchange's own bound, explained: the lifetime it chose is the one shown.
          lifetimeReason: isNumber(decoded.claims.exp) ? explainAccessTokenLifetime(policy.token_lifetime_seconds, decoded.claims.exp, shared.now).reason : null,
        }
      : { outcome: "denied", reason: decision.denied.reason, detail: decision.denied.detail, explanation: explainReason(decision.denied.reason) };
  return { ruleId: policy.id, ruleName: rule.name, issuerId: issuer.id, serviceAccountId: serviceAccount.id, oauthScope: policy.oauth_scope, verdict, checks, triggerMatrix: triggerMatrixFor(rule, deps) };
}

/** Claims recorded in the history: the checks that need the token itself are shown as such. */
function checkRuleWithClaims(rule: NamedRule, claims: Claims, deps: TesterDeps, shared: Shared): RuleReport {
  const { rule: policy, issuer, serviceAccount } = rule.context;
  const ctx: HintContext = { claims, provider: shared.provider, issuers: shared.issuers, ruleIssuer: issuer, match: policy.match, defaultAudience: deps.defaultAudience };
  const needsToken = (key: string, check: ExchangeCheck, label: string = exchangeCheck(check).label): TesterCheck[] => [
    { key, stage: exchangeCheck(check).stage, label, status: "skip", message: "Needs the token itself; the history keeps only its claims.", hints: [] },
  ];
  const checks = walk({
    request: () => [],
    rule: () => [],
    header: () => [],
    key: () => [],
    signature: () => needsToken("signature", "signature"),
    claims: () => registeredRows(claims, ctx, shared.now),
    match: () => matchRows(ctx),
    jti: () => needsToken("jti", "jti"),
    service_account: () => needsToken("target", "service_account", "Service account, scope and workspace"),
    scope: () => [],
    workspace: () => [],
  });
  const first = checks.find((c) => c.status === "fail");
  const verdict: RuleVerdict = first?.reason ? { outcome: "claims_fail", reason: first.reason, detail: first.message, explanation: explainReason(first.reason) } : { outcome: "claims_pass" };
  return { ruleId: policy.id, ruleName: rule.name, issuerId: issuer.id, serviceAccountId: serviceAccount.id, oauthScope: policy.oauth_scope, verdict, checks, triggerMatrix: triggerMatrixFor(rule, deps) };
}

function issuerFinding(iss: unknown, issuers: RegisteredIssuer[]): { finding: IssuerFinding; registered: RegisteredIssuer | undefined } {
  const registered = issuers.find((i) => i.issuer_url === iss);
  if (registered) {
    return {
      registered,
      finding: { status: "registered", id: registered.id, name: registered.name, issuerUrl: registered.issuer_url, checkJti: registered.check_jti, maxJwtLifetimeSeconds: registered.max_jwt_lifetime_seconds },
    };
  }
  const nearMisses =
    typeof iss === "string"
      ? issuers.flatMap((i) => {
          const difference = describeIssuerDifference(iss, i.issuer_url);
          return difference ? [{ id: i.id, name: i.name, issuerUrl: i.issuer_url, difference }] : [];
        })
      : [];
  return { registered: undefined, finding: { status: "unregistered", iss, nearMisses } };
}

/**
 * Inspect a token (or claims recorded in the history) against one rule or every live rule of
 * its issuer. Never throws for anything about the token; deps' failures propagate.
 */
export async function inspectToken(input: TesterInput, deps: TesterDeps): Promise<TokenReport> {
  const now = input.kind === "recorded" ? input.at : deps.now();
  const notes: string[] = [];
  const report: TokenReport = {
    source: input.kind,
    evaluatedAt: isoOf(now) ?? new Date(0).toISOString(),
    decoded: null,
    malformed: null,
    times: [],
    lifetimeSeconds: null,
    provider: null,
    issuer: null,
    verification: [],
    rules: [],
    notes,
  };

  let header: Record<string, unknown> | null = null;
  let claims: Claims;
  if (input.kind === "token") {
    const decoded = decodeAssertionUnverified(input.assertion);
    if (decoded instanceof ExchangeDenied) {
      report.malformed = { reason: decoded.reason, detail: decoded.detail, explanation: explainReason(decoded.reason), hints: malformedHints(input.assertion) };
      return report;
    }
    ({ header, claims } = decoded);
  } else {
    claims = input.claims;
    if (claims._truncated) notes.push("The history cut some of this token's claims (too long, too deep or too many; _truncated lists which); checks on those claims cannot pass.");
    notes.push(
      input.claimsVerified
        ? "These claims were recorded from a token whose signature the server verified when it was presented."
        : "These claims were recorded from a token whose signature did NOT verify (or was not reached); treat them as unproven.",
    );
    notes.push(`Time checks are evaluated at the moment the token was presented (${report.evaluatedAt}); the rule checks use the rule as it is now.`);
  }
  report.decoded = { header, claims };
  report.times = describeTimes(claims, now);
  report.lifetimeSeconds = isNumber(claims.exp) && isNumber(claims.iat) ? claims.exp - claims.iat : null;
  report.provider = recognizeProvider(claims.iss, { claims, demoIssuerUrl: deps.demoIssuerUrl });

  const issuers = await deps.liveIssuers();
  const { finding, registered } = issuerFinding(claims.iss, issuers);
  report.issuer = finding;
  const shared = { provider: report.provider, issuers, now };

  if (input.kind === "token") {
    // An unknown iss never causes a network call: keys are only ever fetched for registered issuers.
    if (registered) {
      const signature = await signatureChecks(input.assertion, header!, registered, deps, now, { tokenIss: claims.iss });
      report.verification = [signature.header, signature.key, signature.signature];
    }
  } else {
    report.verification = [{ key: "signature", stage: "signature", label: "Signature", status: "skip", message: "The history keeps a token's claims, never the token: its signature cannot be checked here.", hints: [] }];
  }

  let rules: NamedRule[];
  if (input.ruleId) {
    const rule = await deps.loadRule(input.ruleId);
    if (!rule) {
      notes.push(`No federation rule ${input.ruleId} exists.`);
      return report;
    }
    rules = [rule];
  } else if (registered) {
    rules = await deps.liveRules(registered.id);
    if (rules.length === 0) notes.push(`Issuer ${registered.name} has no live rules; create one to admit this token.`);
  } else {
    notes.push(
      `No live issuer is registered with iss ${quote(claims.iss)}${finding.status === "unregistered" && finding.nearMisses.length ? " (see the near misses above)" : ""}. Register it, or pick a rule to see how its exchange would refuse this token.`,
    );
    return report;
  }

  for (const rule of rules) {
    report.rules.push(input.kind === "token" ? await checkRuleWithToken(rule, input.assertion, { header: header!, claims }, input, deps, shared) : checkRuleWithClaims(rule, claims, deps, shared));
  }
  return report;
}
