/**
 * The token tester: what the exchange would decide about a token, with every check shown.
 * It decodes the token, names its provider, verifies it against the registered issuer's keys,
 * and for one rule — or every live rule of the token's issuer — runs the exchange's own
 * decision (`decideExchange`, read-only: persistence is the caller's, so no `jti` is ever
 * consumed) beside the exchange's own check lists (`explainRegisteredClaims`,
 * `explainRuleMatch`). Each check is pass, fail or skip (not reached / not evaluable), with
 * what was found and expected, the deny reason's explanation and hints for the failures
 * people hit most (providers.md "Pitfalls").
 */
import { DENY_REASONS, ExchangeDenied, type DenyReason } from "../core/deny-reasons";
import { decideExchange, JWT_BEARER_GRANT, type DecisionTrace, type ExchangeDeps, type ExchangeGrant, type RuleContext } from "../core/exchange";
import { explainReason, type ReasonExplanation } from "./explain-reason";
import { explainRuleMatch, type MatchCheck } from "../core/match";
import type { Claims, IssuerPolicy, RuleMatch } from "../core/types";
import { checkHeader, decodeAssertionUnverified, explainRegisteredClaims, verifyAssertion, type RegisteredClaimCheck } from "../core/verify-assertion";
import { describeGithubSubject, describeTrigger, githubTriggerMatrix, type TriggerMatrix } from "./github-triggers";
import { isDefaultAudience, recognizeProvider, type RecognizedProvider } from "../providers/recognize";

export type CheckStatus = "pass" | "fail" | "skip";

export type CheckStage = "rule" | "signature" | "claims" | "match" | "replay" | "target";

/** One check of the exchange, as the tester shows it. */
export interface TesterCheck {
  /** Stable within a report: `header`, `key`, `signature`, `iss`, `expiry`, `aud`, `claims.ref`… */
  key: string;
  stage: CheckStage;
  label: string;
  status: CheckStatus;
  found?: unknown;
  expected?: unknown;
  message: string;
  /** The deny reason this check yields when it fails. */
  reason?: DenyReason | undefined;
  /** For a failed check: what it means and how to fix it. */
  explanation?: ReasonExplanation | undefined;
  /** Hints for common causes of this failure. */
  hints: string[];
}

export type RuleVerdict =
  | { outcome: "granted"; serviceAccountId: string; workspaceId: string; scope: string; expiresIn: number }
  | { outcome: "denied"; reason: DenyReason; detail: string; explanation: ReasonExplanation }
  /** Recorded claims (no token): every check that can run on claims alone passes. */
  | { outcome: "claims_pass" }
  | { outcome: "claims_fail"; reason: DenyReason; detail: string; explanation: ReasonExplanation };

export interface RuleReport {
  ruleId: string;
  ruleName: string;
  issuerId: string;
  serviceAccountId: string;
  oauthScope: string;
  verdict: RuleVerdict;
  checks: TesterCheck[];
  /** For rules on a GitHub issuer: which triggers the rule admits. */
  triggerMatrix: TriggerMatrix | null;
}

export interface TimeFact {
  claim: "iat" | "nbf" | "exp";
  value: unknown;
  iso: string | null;
  /** "expires in 3 min", "expired 2 h ago", "issued 5 min ago"… */
  relative: string | null;
}

export type IssuerFinding =
  | { status: "registered"; id: string; name: string; issuerUrl: string; checkJti: boolean; maxJwtLifetimeSeconds: number }
  | { status: "unregistered"; iss: unknown; nearMisses: Array<{ id: string; name: string; issuerUrl: string; difference: string }> };

/** A failure before any rule: the token could not even be decoded. */
export interface Malformed {
  reason: DenyReason;
  detail: string;
  explanation: ReasonExplanation;
  hints: string[];
}

export interface TokenReport {
  source: "token" | "recorded";
  /** The instant the time checks were evaluated at (the event's time for recorded claims). */
  evaluatedAt: string;
  decoded: { header: Record<string, unknown> | null; claims: Claims } | null;
  malformed: Malformed | null;
  times: TimeFact[];
  /** `exp − iat`, when both are numbers. */
  lifetimeSeconds: number | null;
  provider: RecognizedProvider | null;
  issuer: IssuerFinding | null;
  /** Header, key and signature against the issuer registered for the token's `iss`. */
  verification: TesterCheck[];
  rules: RuleReport[];
  notes: string[];
}

export interface NamedRule {
  name: string;
  context: RuleContext;
}

export interface RegisteredIssuer extends IssuerPolicy {
  name: string;
}

/** What the tester reads; the exchange's own dependencies plus lookups by issuer. Read-only. */
export interface TesterDeps extends Omit<ExchangeDeps, "loadRule"> {
  /** The organization's live issuers. */
  liveIssuers(): Promise<RegisteredIssuer[]>;
  loadRule(ruleId: string): Promise<NamedRule | undefined>;
  /** Live rules of an issuer, each with its issuer and service account. */
  liveRules(issuerId: string): Promise<NamedRule[]>;
  /** This server's demo issuer URL, to recognise its tokens. */
  demoIssuerUrl?: string | undefined;
}

export type TesterInput =
  | { kind: "token"; assertion: string; ruleId?: string | undefined; workspaceId?: string | undefined; serviceAccountId?: string | undefined }
  /** Claims recorded in the authentication history: no signature, evaluated at the event's time. */
  | { kind: "recorded"; claims: Claims; claimsVerified: boolean; at: number; ruleId?: string | undefined };

// ---- time -----------------------------------------------------------------------------------

/** "45 s", "3 min", "2 h", "4 d": coarse on purpose, a person reads it once. */
export function formatDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function isoOf(seconds: number): string | null {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function describeTimes(claims: Claims, now: number): TimeFact[] {
  const phrase = (claim: TimeFact["claim"], delta: number) => {
    if (Math.abs(delta) < 1) return claim === "exp" ? "expires now" : claim === "iat" ? "issued just now" : "valid from now";
    const d = formatDuration(delta);
    const past = delta < 0;
    if (claim === "exp") return past ? `expired ${d} ago` : `expires in ${d}`;
    if (claim === "iat") return past ? `issued ${d} ago` : `issued ${d} in the future`;
    return past ? `valid since ${d} ago` : `not valid for another ${d}`;
  };
  return (["iat", "nbf", "exp"] as const)
    .filter((claim) => claims[claim] !== undefined)
    .map((claim) => {
      const value = claims[claim];
      return isNumber(value) ? { claim, value, iso: isoOf(value), relative: phrase(claim, value - now) } : { claim, value, iso: null, relative: null };
    });
}

// ---- hints ----------------------------------------------------------------------------------

/** How two issuer URLs differ when they differ only a little (pitfall 12), else null. */
export function describeIssuerDifference(a: string, b: string): string | null {
  if (a === b) return null;
  const slashless = (s: string) => s.replace(/\/+$/, "");
  if (slashless(a) === slashless(b)) return "differs only by a trailing slash";
  if (a.toLowerCase() === b.toLowerCase()) return "differs only in letter case";
  if (slashless(a).toLowerCase() === slashless(b).toLowerCase()) return "differs only in letter case and a trailing slash";
  try {
    const x = new URL(a);
    const y = new URL(b);
    const samePath = slashless(x.pathname) === slashless(y.pathname);
    if (x.hostname === y.hostname && samePath && x.protocol !== y.protocol) return `differs in scheme (${x.protocol.slice(0, -1)} vs ${y.protocol.slice(0, -1)})`;
    if (x.hostname === y.hostname && samePath && x.port !== y.port) return "differs only by the port";
  } catch {
    // not URLs: nothing more to say
  }
  return null;
}

const quote = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : v === undefined ? "absent" : JSON.stringify(v));

interface HintContext {
  claims: Claims;
  provider: RecognizedProvider | null;
  issuers: RegisteredIssuer[];
  ruleIssuer: IssuerPolicy;
  match: RuleMatch;
  defaultAudience: string;
}

function subjectHints(pattern: string, sub: unknown): string[] {
  if (typeof sub !== "string") return ["The token has no string sub."];
  const hints: string[] = [];
  const isPrefix = pattern.endsWith("*");
  const expected = isPrefix ? pattern.slice(0, -1) : pattern;
  // Pitfall 1: the subject's last part depends on what triggered the job.
  const want = describeGithubSubject(expected);
  const got = describeGithubSubject(sub);
  if (want && got && want.repository === got.repository && (want.kind !== got.kind || want.value !== got.value) && want.kind !== "other") {
    hints.push(
      want.kind !== got.kind
        ? `GitHub's sub depends on the trigger: the rule expects ${describeTrigger(want)}, this token comes from ${describeTrigger(got)}. Write one rule per trigger, or match the repository with claims and check the trigger in a condition.`
        : `The rule expects ${describeTrigger(want)}, this token comes from ${describeTrigger(got)}.`,
    );
  }
  const gitlab = (s: string) => /^project_path:([^:]+):ref_type:(branch|tag):ref:(.*)$/s.exec(s);
  const gw = gitlab(expected);
  const gg = gitlab(sub);
  if (gw && gg && gw[1] === gg[1] && (gw[2] !== gg[2] || gw[3] !== gg[3])) {
    hints.push(`GitLab's sub names the ref: the rule expects ${gw[2]} ${gw[3]}, this token comes from ${gg[2]} ${gg[3]}.`);
  }
  // Pitfall 2: matching is case-sensitive.
  if (isPrefix ? sub.toLowerCase().startsWith(expected.toLowerCase()) : sub.toLowerCase() === expected.toLowerCase()) {
    hints.push("The two differ only in letter case; matching is exact and case-sensitive (Acme/API ≠ acme/api).");
  }
  if (!isPrefix && sub.startsWith(pattern)) hints.push("The rule's subject has no trailing *, so sub must equal it exactly; end it with * to match a prefix (and end the prefix at a delimiter such as :).");
  if (!want && got && !pattern.startsWith("repo:")) hints.push("This is a GitHub subject (repo:OWNER/REPO:…); the rule's subject is shaped differently.");
  return hints;
}

function audienceHints(c: MatchCheck, ctx: HintContext): string[] {
  const hints: string[] = [];
  const auds = typeof c.found === "string" ? [c.found] : Array.isArray(c.found) ? c.found.filter((a): a is string => typeof a === "string") : [];
  const expected = String(c.expected);
  const d = auds.find((a) => isDefaultAudience(a, ctx.provider));
  if (d !== undefined) {
    const own = ctx.provider !== null && ctx.provider.id !== "demo" && ctx.provider.defaultAudiences.includes(d);
    const whose = own ? `the default audience of ${ctx.provider!.label}` : d === "sts.amazonaws.com" ? "the default audience of EKS service-account tokens (meant for AWS STS)" : "a provider's default audience";
    const how =
      own && ctx.provider!.id === "github"
        ? ` (GitHub: core.getIDToken('${expected}') or &audience=${expected} on ACTIONS_ID_TOKEN_REQUEST_URL)`
        : (own && ctx.provider!.id === "kubernetes") || d === "sts.amazonaws.com"
          ? " (Kubernetes: set the projected volume's serviceAccountToken.audience)"
          : "";
    hints.push(`aud ${quote(d)} is ${whose}: the workload asked for no audience. Request the token with audience ${expected}${how}.`);
  }
  if (auds.some((a) => a.toLowerCase() === expected.toLowerCase() || a.replace(/\/+$/, "") === expected.replace(/\/+$/, ""))) {
    hints.push("The audiences differ only in letter case or a trailing slash; they must be equal byte for byte.");
  }
  if (!ctx.match.audience) hints.push(`The rule names no audience, so the server's default ${ctx.defaultAudience} is expected; set the rule's audience to the token's aud if that is what your workload requests.`);
  return hints;
}

function claimHints(c: MatchCheck): string[] {
  const hints: string[] = [];
  if (typeof c.found === "string" && typeof c.expected === "string" && c.found.toLowerCase() === c.expected.toLowerCase()) {
    hints.push("The values differ only in letter case; claims are compared exactly.");
  }
  if (c.found === undefined) hints.push(`The token has no ${c.name.replace(/^claims\./, "")} claim; check the claim's name and that the provider sends it for this kind of job.`);
  if (typeof c.found === "number" && String(c.found) === c.expected) hints.push("The token sends this claim as a number; match it in a condition, e.g. claims.x == " + c.expected + ".");
  return hints;
}

function registeredHints(c: RegisteredClaimCheck, ctx: HintContext, now: number): string[] {
  const { claims } = ctx;
  switch (c.check) {
    case "iss": {
      const hints: string[] = [];
      if (typeof claims.iss === "string") {
        const diff = describeIssuerDifference(claims.iss, ctx.ruleIssuer.issuer_url);
        if (diff) hints.push(`The token's iss ${diff} from the issuer URL ${ctx.ruleIssuer.issuer_url}; the issuer URL must equal iss byte for byte.`);
        const other = ctx.issuers.find((i) => i.issuer_url === claims.iss && i.id !== ctx.ruleIssuer.id);
        if (other) hints.push(`The token's iss is registered as issuer ${other.name}; use a rule on that issuer.`);
      }
      return hints;
    }
    case "expiry":
      return isNumber(claims.exp)
        ? [`It expired ${formatDuration(now - claims.exp)} ago${isNumber(claims.iat) ? ` after living ${formatDuration(claims.exp - claims.iat)}` : ""}. Fetch a fresh token right before exchanging it.`]
        : [];
    case "not_before":
    case "issued_at":
      return ["The token is dated in the future: the provider's clock and this server's differ by more than the 30 s leeway."];
    case "lifetime":
      return ["Request a shorter-lived token from the provider, or raise the issuer's max_jwt_lifetime_seconds (up to 176400)."];
    default:
      return [];
  }
}

// ---- checks ---------------------------------------------------------------------------------

function fromDenial(err: unknown): ExchangeDenied {
  if (err instanceof ExchangeDenied) return err;
  throw err;
}

const failed = (c: Omit<TesterCheck, "status" | "explanation">): TesterCheck => ({ ...c, status: "fail", explanation: c.reason ? explainReason(c.reason) : undefined });

/** Header, key lookup and signature against `issuer`, each shown (the exchange stops at the first). */
async function signatureChecks(jwt: string, header: Record<string, unknown>, issuer: IssuerPolicy, deps: TesterDeps, now: number, ctx: { tokenIss: unknown }): Promise<TesterCheck[]> {
  const checks: TesterCheck[] = [];
  const skip = (key: string, label: string, message: string): TesterCheck => ({ key, stage: "signature", label, status: "skip", message, hints: [] });
  let kidAlg: { kid: string; alg: string };
  try {
    kidAlg = checkHeader(header);
    checks.push({ key: "header", stage: "signature", label: "Header (alg, kid)", status: "pass", found: { alg: header.alg, kid: header.kid }, expected: "alg RS/PS/ES 256–512 and a kid", message: `alg ${kidAlg.alg} is allowed; kid is present`, hints: [] });
  } catch (err) {
    const d = fromDenial(err);
    checks.push(failed({ key: "header", stage: "signature", label: "Header (alg, kid)", found: { alg: header.alg, kid: header.kid }, expected: "alg RS/PS/ES 256–512 and a kid", message: d.detail, reason: d.reason, hints: [] }));
    checks.push(skip("key", "Signing key", "Not reached: the header is refused."), skip("signature", "Signature", "Not reached: the header is refused."));
    return checks;
  }
  const keys = deps.keysFor(issuer);
  try {
    await keys.getKey(kidAlg.kid, kidAlg.alg);
    checks.push({ key: "key", stage: "signature", label: "Signing key", status: "pass", found: kidAlg.kid, expected: `a key of ${issuer.issuer_url}`, message: `the issuer has a usable key with kid ${JSON.stringify(kidAlg.kid)}`, hints: [] });
  } catch (err) {
    const d = fromDenial(err);
    const hints = d.reason === "unknown_kid" && ctx.tokenIss !== issuer.issuer_url ? [`The token's iss is ${quote(ctx.tokenIss)}, not this issuer's ${issuer.issuer_url}: it was signed by another provider.`] : [];
    checks.push(failed({ key: "key", stage: "signature", label: "Signing key", found: kidAlg.kid, expected: `a key of ${issuer.issuer_url}`, message: d.detail, reason: d.reason, hints }));
    checks.push(skip("signature", "Signature", "Not reached: no key to verify with."));
    return checks;
  }
  try {
    await verifyAssertion(jwt, issuer, keys, { now });
    checks.push({ key: "signature", stage: "signature", label: "Signature", status: "pass", found: kidAlg.alg, expected: "a valid signature", message: `the signature verifies with key ${JSON.stringify(kidAlg.kid)}`, hints: [] });
  } catch (err) {
    const d = fromDenial(err);
    if (d.reason === "signature_invalid") {
      const hints = ctx.tokenIss !== issuer.issuer_url ? [`The token's iss is ${quote(ctx.tokenIss)}, not this issuer's ${issuer.issuer_url}.`] : ["The token was altered after signing, or signed by a key that reuses this kid."];
      checks.push(failed({ key: "signature", stage: "signature", label: "Signature", found: kidAlg.alg, expected: "a valid signature", message: d.detail, reason: d.reason, hints }));
    } else {
      // The signature verified; verifyAssertion went on to refuse a registered claim (shown on its own row).
      checks.push({ key: "signature", stage: "signature", label: "Signature", status: "pass", found: kidAlg.alg, expected: "a valid signature", message: `the signature verifies with key ${JSON.stringify(kidAlg.kid)}`, hints: [] });
    }
  }
  return checks;
}

const REGISTERED_LABELS: Record<RegisteredClaimCheck["check"], string> = {
  iss: "Issuer (iss)",
  sub: "Subject present (sub)",
  iat: "Issued at present (iat)",
  exp: "Expiry present (exp)",
  nbf: "Not before is a date (nbf)",
  jti: "JWT ID is a string (jti)",
  expiry: "Not expired (exp, 30 s leeway)",
  not_before: "Already valid (nbf, 30 s leeway)",
  issued_at: "Not issued in the future (iat, 30 s leeway)",
  lifetime: "Lifetime (exp − iat) within the issuer's maximum",
};

/** Row keys: the presence checks get their own, so `sub` stays the match row's. */
const REGISTERED_KEYS: Partial<Record<RegisteredClaimCheck["check"], string>> = { sub: "sub_present", iat: "iat_present", exp: "exp_present", nbf: "nbf_type", jti: "jti_type" };

function registeredRows(claims: Claims, ctx: HintContext, now: number): TesterCheck[] {
  return explainRegisteredClaims(claims, ctx.ruleIssuer, { now }).map((c) => {
    const base = { key: REGISTERED_KEYS[c.check] ?? c.check, stage: "claims" as const, label: REGISTERED_LABELS[c.check], found: c.found, expected: c.expected, message: c.message, reason: c.reason };
    if (c.passed === null) return { ...base, status: "skip", hints: [] };
    return c.passed ? { ...base, status: "pass", hints: [] } : failed({ ...base, hints: registeredHints(c, ctx, now) });
  });
}

const MATCH_LABELS: Record<MatchCheck["check"], (c: MatchCheck) => string> = {
  audience: () => "Audience (aud)",
  subject_prefix: (c) => (String(c.expected).endsWith("*") ? "Subject prefix (sub)" : "Subject (sub)"),
  claim: (c) => `Claim ${c.name.replace(/^claims\./, "")}`,
  condition: () => "Condition (CEL)",
};

function matchRows(ctx: HintContext): TesterCheck[] {
  return explainRuleMatch(ctx.match, ctx.claims, { defaultAudience: ctx.defaultAudience }).map((c) => {
    const base = { key: c.check === "claim" ? c.name : c.check === "subject_prefix" ? "sub" : c.check === "audience" ? "aud" : "condition", stage: "match" as const, label: MATCH_LABELS[c.check](c), found: c.found, expected: c.expected, message: c.message, reason: c.reason };
    if (c.passed) return { ...base, status: "pass", hints: [] };
    const hints = c.check === "audience" ? audienceHints(c, ctx) : c.check === "subject_prefix" ? subjectHints(String(c.expected), c.found) : c.check === "claim" ? claimHints(c) : [];
    return failed({ ...base, hints });
  });
}

/**
 * The exchange's stages in order, by the reasons each can yield. Rows the tester cannot
 * evaluate on their own (rule state, replay, target) take their status from where the real
 * decision stopped: failed there, passed if it got further, skipped if it stopped before.
 */
const STAGE_OF: Record<DenyReason, number> = Object.fromEntries(DENY_REASONS.map((r) => [r, 2])) as Record<DenyReason, number>;
for (const r of ["invalid_request", "assertion_too_large"] as const) STAGE_OF[r] = 0;
for (const r of ["rule_not_found", "organization_mismatch", "rule_archived", "issuer_archived"] as const) STAGE_OF[r] = 1;
STAGE_OF.jti_reused = 3;
for (const r of ["service_account_archived", "service_account_mismatch"] as const) STAGE_OF[r] = 4;
STAGE_OF.scope_not_allowed = 5;
for (const r of ["workspace_id_required", "workspace_not_found", "workspace_not_allowed", "service_account_not_in_workspace"] as const) STAGE_OF[r] = 6;

type Decision = { grant: ExchangeGrant } | { denied: ExchangeDenied };

function decidedRow(stage: number, decision: Decision, row: Omit<TesterCheck, "status" | "hints" | "message" | "explanation"> & { passMessage: string; hints?: string[] }): TesterCheck {
  const { passMessage, hints = [], ...base } = row;
  if ("grant" in decision) return { ...base, status: "pass", message: passMessage, hints: [] };
  const at = STAGE_OF[decision.denied.reason];
  if (at === stage) return failed({ ...base, reason: decision.denied.reason, message: decision.denied.detail, hints });
  if (at > stage) return { ...base, status: "pass", message: passMessage, hints: [] };
  return { ...base, status: "skip", message: "Not reached: the exchange stops at the first failed check.", hints: [] };
}

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

function triggerMatrixFor(rule: NamedRule, deps: TesterDeps): TriggerMatrix | null {
  const { issuer, rule: policy } = rule.context;
  const provider = recognizeProvider(issuer.issuer_url, { demoIssuerUrl: deps.demoIssuerUrl });
  // The demo issuer mints GitHub-shaped tokens; its rules written for them get the matrix too.
  const github = provider?.id === "github" || (provider?.id === "demo" && !!policy.match.subject_prefix?.startsWith("repo:"));
  return github ? githubTriggerMatrix(policy.match, { defaultAudience: deps.defaultAudience, issuer: issuer.issuer_url }) : null;
}

async function checkRuleWithToken(rule: NamedRule, jwt: string, decoded: { header: Record<string, unknown>; claims: Claims }, input: Extract<TesterInput, { kind: "token" }>, deps: TesterDeps, shared: { provider: RecognizedProvider | null; issuers: RegisteredIssuer[]; now: number }): Promise<RuleReport> {
  const { rule: policy, issuer, serviceAccount } = rule.context;
  const decision = await decide(rule, jwt, input, deps);
  const ctx: HintContext = { claims: decoded.claims, provider: shared.provider, issuers: shared.issuers, ruleIssuer: issuer, match: policy.match, defaultAudience: deps.defaultAudience };
  const jti = decoded.claims.jti;
  const checks: TesterCheck[] = [
    decidedRow(1, decision, {
      key: "rule",
      stage: "rule",
      label: "Rule and issuer are live",
      found: `rule ${policy.archived_at ? `archived ${policy.archived_at}` : "live"}, issuer ${issuer.archived_at ? `archived ${issuer.archived_at}` : "live"}`,
      expected: "rule and issuer live",
      passMessage: "the rule and its issuer are live and belong to this organization",
    }),
    ...(await signatureChecks(jwt, decoded.header, issuer, deps, shared.now, { tokenIss: decoded.claims.iss })),
    ...registeredRows(decoded.claims, ctx, shared.now),
    ...matchRows(ctx),
    decidedRow(3, decision, {
      key: "jti",
      stage: "replay",
      label: "Single use (jti)",
      found: jti,
      expected: issuer.check_jti ? "not exchanged before" : "not checked (the issuer's check_jti is off)",
      passMessage: !issuer.check_jti ? "the issuer does not enforce single use" : typeof jti === "string" ? "this jti has not been exchanged yet (the tester never consumes it)" : "the token has no jti; nothing to check",
      hints: ["A live exchange (or a workload) has already used this token. Fetch or mint a fresh one; if several processes share one token, let one exchange and share the access token."],
    }),
    decidedRow(4, decision, {
      key: "service_account",
      stage: "target",
      label: "Service account",
      found: `${serviceAccount.id} (${serviceAccount.archived ? "archived" : "live"})${input.serviceAccountId ? `, ${input.serviceAccountId} requested` : ""}`,
      expected: "live, and the one requested (if any)",
      passMessage: `service account ${serviceAccount.id} is live`,
    }),
    decidedRow(5, decision, {
      key: "scope",
      stage: "target",
      label: "Role allows the scope",
      found: serviceAccount.organizationRole,
      expected: policy.oauth_scope.split(" ").includes("org:admin") ? "admin (the rule grants org:admin)" : "any role",
      passMessage: `role ${serviceAccount.organizationRole} allows ${policy.oauth_scope}`,
    }),
    decidedRow(6, decision, {
      key: "workspace",
      stage: "target",
      label: "Workspace",
      found: "grant" in decision ? decision.grant.workspaceId : input.workspaceId ? `${input.workspaceId} requested` : "none requested",
      expected: input.workspaceId ? `${input.workspaceId}, enabled for the rule` : "one workspace the rule covers (or the default)",
      passMessage: "grant" in decision ? `the token would be scoped to ${decision.grant.workspaceId}` : "resolved",
    }),
  ];
  const verdict: RuleVerdict =
    "grant" in decision
      ? { outcome: "granted", serviceAccountId: decision.grant.serviceAccountId, workspaceId: decision.grant.workspaceId, scope: decision.grant.scope, expiresIn: decision.grant.expiresIn }
      : { outcome: "denied", reason: decision.denied.reason, detail: decision.denied.detail, explanation: explainReason(decision.denied.reason) };
  return { ruleId: policy.id, ruleName: rule.name, issuerId: issuer.id, serviceAccountId: serviceAccount.id, oauthScope: policy.oauth_scope, verdict, checks, triggerMatrix: triggerMatrixFor(rule, deps) };
}

function checkRuleWithClaims(rule: NamedRule, claims: Claims, deps: TesterDeps, shared: { provider: RecognizedProvider | null; issuers: RegisteredIssuer[]; now: number }): RuleReport {
  const { rule: policy, issuer, serviceAccount } = rule.context;
  const ctx: HintContext = { claims, provider: shared.provider, issuers: shared.issuers, ruleIssuer: issuer, match: policy.match, defaultAudience: deps.defaultAudience };
  const needsToken = (key: string, stage: CheckStage, label: string): TesterCheck => ({ key, stage, label, status: "skip", message: "Needs the token itself; the history keeps only its claims.", hints: [] });
  const checks: TesterCheck[] = [
    needsToken("signature", "signature", "Signature"),
    ...registeredRows(claims, ctx, shared.now),
    ...matchRows(ctx),
    needsToken("jti", "replay", "Single use (jti)"),
    needsToken("target", "target", "Service account, scope and workspace"),
  ];
  const first = checks.find((c) => c.status === "fail");
  const verdict: RuleVerdict = first?.reason ? { outcome: "claims_fail", reason: first.reason, detail: first.message, explanation: explainReason(first.reason) } : { outcome: "claims_pass" };
  return { ruleId: policy.id, ruleName: rule.name, issuerId: issuer.id, serviceAccountId: serviceAccount.id, oauthScope: policy.oauth_scope, verdict, checks, triggerMatrix: triggerMatrixFor(rule, deps) };
}

/** Common paste mistakes behind a token that does not decode. */
function malformedHints(jwt: string): string[] {
  const hints: string[] = [];
  if (/^bearer\s/i.test(jwt)) hints.push("Remove the 'Bearer ' prefix; paste the token alone.");
  if (/^["']|["']$/.test(jwt)) hints.push("Remove the quotes around the token.");
  if (/\s/.test(jwt)) hints.push("The token contains whitespace or line breaks; a JWT has none.");
  const parts = jwt.split(".").length;
  if (parts === 5) hints.push("This has five parts: an encrypted JWE, not a signed JWT. Identity providers' OIDC tokens are signed JWTs.");
  if (parts === 2) hints.push("This has two parts; a signed JWT has three (header.payload.signature). Was the signature cut off?");
  if (jwt.startsWith("{")) hints.push("This is JSON; paste the token string (eyJ…), not a JSON wrapper such as {\"value\": …}.");
  return hints;
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
    if (registered) report.verification = await signatureChecks(input.assertion, header!, registered, deps, now, { tokenIss: claims.iss });
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
