/**
 * The tester against in-memory stores, a fixed clock and inline keys (the real key source).
 * One row per deny-reason class: the failing check carries found/expected, the reason and
 * its explanation, and the verdict is the exchange's own first failure.
 * One file though over 400 lines: the rows share one fixture of keys, rules and stores.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { KeySourceRegistry } from "../jwks/key-resolver";
import { githubClaims } from "../providers/github-claims";
import type { DenyReason } from "../core/deny-reasons";
import type { WorkspaceRef } from "../core/ports";
import { REASON_EXPLANATIONS } from "./explain-reason";
import { inspectToken } from "./inspect-token";
import type { NamedRule, RegisteredIssuer, TesterDeps, TokenReport } from "./tester";
import { describeIssuerDifference } from "./tester-hints";
import { describeTimes, formatDuration } from "./token-times";
import type { Claims, RuleMatch } from "../core/types";

const NOW = 1_800_000_000;
const ORG = "00000000-0000-4000-8000-000000000001";
const AUD = "https://api.anthropic.com";
const GH = "https://token.actions.githubusercontent.com";
const DEMO = "http://localhost:3000/demo-issuer";
const SUBJECT = "repo:acme/api:ref:refs/heads/main";

let signer: CryptoKey;
let stranger: CryptoKey;
let jwk: JWK;

beforeAll(async () => {
  const a = await generateKeyPair("RS256", { extractable: true });
  const b = await generateKeyPair("RS256", { extractable: true });
  signer = a.privateKey;
  stranger = b.privateKey;
  jwk = { ...(await exportJWK(a.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
});

const issuer = (over: Partial<RegisteredIssuer> = {}): RegisteredIssuer => ({
  id: "fdis_gh",
  name: "github",
  issuer_url: GH,
  jwks: { type: "inline", keys: [jwk] },
  check_jti: true,
  max_jwt_lifetime_seconds: 3600,
  archived_at: null,
  ...over,
});

interface RuleOptions {
  id?: string;
  name?: string;
  match?: RuleMatch;
  issuer?: RegisteredIssuer;
  scope?: string;
  role?: "admin" | "developer";
  saArchived?: boolean;
  archived?: boolean;
  workspaceId?: string | null;
  workspaceIds?: string[];
  all?: boolean;
}

const rule = (o: RuleOptions = {}): NamedRule => {
  const iss = o.issuer ?? issuer();
  return {
    name: o.name ?? "deploy-main",
    context: {
      rule: {
        id: o.id ?? "fdrl_main",
        organization_id: ORG,
        issuer_id: iss.id,
        match: o.match ?? { subject_prefix: SUBJECT },
        service_account_id: "svac_ci",
        oauth_scope: o.scope ?? "workspace:developer",
        token_lifetime_seconds: 3600,
        workspace_id: o.workspaceId === undefined ? "wrkspc_default" : o.workspaceId,
        workspace_ids: o.workspaceIds ?? (o.workspaceId === undefined ? ["wrkspc_default"] : o.workspaceId ? [o.workspaceId] : []),
        applies_to_all_workspaces: o.all ?? false,
        archived_at: o.archived ? "2026-01-01T00:00:00.000Z" : null,
      },
      issuer: iss,
      serviceAccount: { id: "svac_ci", organizationRole: o.role ?? "developer", archived: o.saArchived ?? false },
    },
  };
};

interface World {
  issuers: RegisteredIssuer[];
  rules: NamedRule[];
  usedJtis: Set<string>;
  members: Set<string>;
  keyLookups: string[];
}

const WORKSPACES: WorkspaceRef[] = [
  { id: "wrkspc_default", isDefault: true, archived: false },
  { id: "wrkspc_one", isDefault: false, archived: false },
  { id: "wrkspc_two", isDefault: false, archived: false },
];

function depsFor(world: World): TesterDeps {
  const registry = new KeySourceRegistry({ allowInsecureLocal: false });
  return {
    organizationId: ORG,
    defaultAudience: AUD,
    demoIssuerUrl: DEMO,
    now: () => NOW,
    keysFor: (i) => {
      world.keyLookups.push(i.issuer_url);
      return registry.get(i);
    },
    jtiUsed: async (issuerId, jti) => world.usedJtis.has(`${issuerId}/${jti}`),
    findWorkspace: async (ref) => WORKSPACES.find((w) => (ref === "default" ? w.isDefault : w.id === ref)),
    enabledWorkspaces: async (r) => (r.applies_to_all_workspaces ? WORKSPACES : WORKSPACES.filter((w) => w.id === r.workspace_id || r.workspace_ids.includes(w.id))),
    isMember: async (sa, ws) => ws.isDefault || world.members.has(`${sa}/${ws.id}`),
    liveIssuers: async () => world.issuers.filter((i) => !i.archived_at),
    loadRule: async (id) => world.rules.find((r) => r.context.rule.id === id),
    liveRules: async (issuerId) => world.rules.filter((r) => r.context.rule.issuer_id === issuerId && !r.context.rule.archived_at),
  };
}

const world = (o: Partial<World> = {}): World => ({ issuers: [issuer()], rules: [rule()], usedJtis: new Set(), members: new Set(), keyLookups: [], ...o });

const claimsOf = (over: Claims = {}): Claims => ({
  ...githubClaims({ owner: "acme", name: "api" }, { kind: "branch", branch: "main" }, { audience: AUD }),
  iat: NOW - 10,
  nbf: NOW - 15,
  exp: NOW + 290,
  jti: "jti-1",
  ...over,
});

/** Sign claims; `undefined` values are dropped so a test can remove a claim. */
async function sign(over: Claims = {}, opts: { key?: CryptoKey; header?: Record<string, unknown> } = {}): Promise<string> {
  const claims = Object.fromEntries(Object.entries(claimsOf(over)).filter(([, v]) => v !== undefined));
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "k1", ...opts.header } as never).sign(opts.key ?? signer);
}

/** A token with a hand-built header (alg none / HS256 / no kid), which SignJWT would refuse to make. */
function rawToken(header: Record<string, unknown>, claims: Claims = claimsOf()): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${b64(header)}.${b64(claims)}.${Buffer.from("not-a-signature").toString("base64url")}`;
}

const checkOf = (report: TokenReport, key: string, ruleIndex = 0) => report.rules[ruleIndex]!.checks.find((c) => c.key === key)!;
const firstFailure = (report: TokenReport, ruleIndex = 0) => report.rules[ruleIndex]!.checks.find((c) => c.status === "fail");

describe("inspectToken: one failing check per deny reason", () => {
  interface Case {
    name: string;
    reason: DenyReason;
    key: string;
    token?: () => Promise<string> | string;
    world?: () => World;
    input?: { ruleId?: string; workspaceId?: string; serviceAccountId?: string };
    found?: unknown;
    expected?: unknown;
    hint?: RegExp;
  }
  const cases: Case[] = [
    { name: "alg HS256", reason: "algorithm_not_allowed", key: "header", token: () => rawToken({ alg: "HS256", kid: "k1" }), found: { alg: "HS256", kid: "k1" } },
    { name: "alg none", reason: "algorithm_not_allowed", key: "header", token: () => rawToken({ alg: "none", kid: "k1" }) },
    { name: "no kid", reason: "kid_missing", key: "header", token: () => rawToken({ alg: "RS256" }) },
    { name: "crit header", reason: "unsupported_header", key: "header", token: () => rawToken({ alg: "RS256", kid: "k1", crit: ["exp"] }) },
    { name: "unknown kid", reason: "unknown_kid", key: "key", token: () => sign({}, { header: { kid: "rotated" } }), found: "rotated" },
    { name: "another key's signature", reason: "signature_invalid", key: "signature", token: () => sign({}, { key: stranger }), hint: /altered|reuses/ },
    {
      name: "iss with a trailing slash",
      reason: "issuer_mismatch",
      key: "iss",
      token: () => sign({ iss: `${GH}/` }),
      input: { ruleId: "fdrl_main" },
      found: `${GH}/`,
      expected: GH,
      hint: /trailing slash/,
    },
    { name: "no iat", reason: "missing_claim", key: "iat_present", token: () => sign({ iat: undefined }), found: undefined, expected: "a NumericDate" },
    { name: "no sub", reason: "missing_claim", key: "sub_present", token: () => sign({ sub: undefined }) },
    { name: "expired", reason: "token_expired", key: "expiry", token: () => sign({ iat: NOW - 400, nbf: NOW - 400, exp: NOW - 100 }), found: NOW - 100, hint: /expired 1 min ago/ },
    { name: "nbf in the future", reason: "token_not_yet_valid", key: "not_before", token: () => sign({ nbf: NOW + 100 }), found: NOW + 100, hint: /clock/ },
    { name: "iat in the future", reason: "iat_in_future", key: "issued_at", token: () => sign({ iat: NOW + 100, exp: NOW + 400 }), found: NOW + 100 },
    { name: "lives too long", reason: "lifetime_exceeded", key: "lifetime", token: () => sign({ iat: NOW - 10, exp: NOW + 7190 }), found: 7200, expected: "≤ 3600", hint: /max_jwt_lifetime_seconds/ },
    {
      name: "GitHub's default audience",
      reason: "audience_mismatch",
      key: "aud",
      token: () => sign({ aud: "https://github.com/acme" }),
      found: "https://github.com/acme",
      expected: AUD,
      hint: /default audience of GitHub Actions.*core\.getIDToken\('https:\/\/api\.anthropic\.com'\)/,
    },
    { name: "EKS's sts.amazonaws.com", reason: "audience_mismatch", key: "aud", token: () => sign({ aud: "sts.amazonaws.com" }), hint: /default audience of EKS service-account tokens.*projected volume/ },
    {
      name: "an environment deploy against a branch rule",
      reason: "match_subject_prefix",
      key: "sub",
      token: () => sign({ sub: "repo:acme/api:environment:prod" }),
      found: "repo:acme/api:environment:prod",
      expected: SUBJECT,
      hint: /depends on the trigger: the rule expects a push to branch main, this token comes from a job in environment prod/,
    },
    { name: "a pull request against a branch rule", reason: "match_subject_prefix", key: "sub", token: () => sign({ sub: "repo:acme/api:pull_request" }), hint: /comes from a pull request/ },
    { name: "subject case", reason: "match_subject_prefix", key: "sub", token: () => sign({ sub: "repo:Acme/API:ref:refs/heads/main" }), hint: /letter case/ },
    {
      name: "an exact subject used as a prefix",
      reason: "match_subject_prefix",
      key: "sub",
      world: () => world({ rules: [rule({ match: { subject_prefix: "repo:acme/api:ref:refs/heads/" } })] }),
      token: () => sign(),
      hint: /no trailing \*/,
    },
    {
      name: "a GitHub token against a Kubernetes-shaped rule",
      reason: "match_subject_prefix",
      key: "sub",
      world: () => world({ rules: [rule({ match: { subject_prefix: "system:serviceaccount:ci:deployer" } })] }),
      token: () => sign(),
      hint: /This is a GitHub subject/,
    },
    {
      name: "claim case",
      reason: "match_claims",
      key: "claims.repository_owner",
      world: () => world({ rules: [rule({ match: { subject_prefix: "repo:acme/*", claims: { repository_owner: "acme" } } })] }),
      token: () => sign({ sub: "repo:acme/api:ref:refs/heads/main", repository_owner: "Acme" }),
      found: "Acme",
      expected: "acme",
      hint: /letter case/,
    },
    {
      name: "false condition",
      reason: "match_condition",
      key: "condition",
      world: () => world({ rules: [rule({ match: { subject_prefix: "repo:acme/*", condition: 'claims.event_name == "workflow_dispatch"' } })] }),
      token: () => sign(),
      found: false,
      expected: true,
    },
    { name: "reused jti", reason: "jti_reused", key: "jti", world: () => world({ usedJtis: new Set(["fdis_gh/jti-1"]) }), token: () => sign(), found: "jti-1", hint: /fresh/ },
    { name: "archived rule", reason: "rule_archived", key: "rule", world: () => world({ rules: [rule({ archived: true })] }), input: { ruleId: "fdrl_main" }, token: () => sign() },
    { name: "archived service account", reason: "service_account_archived", key: "service_account", world: () => world({ rules: [rule({ saArchived: true })] }), token: () => sign() },
    { name: "another service account requested", reason: "service_account_mismatch", key: "service_account", input: { serviceAccountId: "svac_other" }, token: () => sign() },
    { name: "org:admin for a developer", reason: "scope_not_allowed", key: "scope", world: () => world({ rules: [rule({ scope: "org:admin" })] }), token: () => sign(), found: "developer" },
    {
      name: "several workspaces, none named",
      reason: "workspace_id_required",
      key: "workspace",
      world: () => world({ rules: [rule({ workspaceId: "wrkspc_one", workspaceIds: ["wrkspc_one", "wrkspc_two"] })] }),
      token: () => sign(),
    },
    { name: "unknown workspace", reason: "workspace_not_found", key: "workspace", input: { workspaceId: "wrkspc_nope" }, token: () => sign() },
    { name: "workspace not enabled", reason: "workspace_not_allowed", key: "workspace", input: { workspaceId: "wrkspc_two" }, token: () => sign() },
    { name: "not a member", reason: "service_account_not_in_workspace", key: "workspace", world: () => world({ rules: [rule({ workspaceId: "wrkspc_one" })] }), token: () => sign() },
  ];

  it.each(cases)("$name → $reason on $key", async (c) => {
    const w = c.world?.() ?? world();
    const report = await inspectToken({ kind: "token", assertion: await c.token!(), ...c.input }, depsFor(w));
    expect(report.rules).toHaveLength(1);
    const check = checkOf(report, c.key);
    expect(check).toMatchObject({ status: "fail", reason: c.reason });
    expect(check.explanation).toEqual(REASON_EXPLANATIONS[c.reason]);
    expect(check.explanation!.fix.length).toBeGreaterThan(0);
    if ("found" in c) expect(check.found).toEqual(c.found);
    if ("expected" in c) expect(check.expected).toEqual(c.expected);
    if (c.hint) expect(check.hints.join("\n")).toMatch(c.hint);
    // The verdict is the exchange's own decision: its reason is the first failing row's.
    const verdict = report.rules[0]!.verdict;
    expect(verdict).toMatchObject({ outcome: "denied", reason: c.reason, explanation: REASON_EXPLANATIONS[c.reason] });
    expect(firstFailure(report)!.reason).toBe(c.reason);
  });

  it("shows every match failure, not just the first, with its own found/expected", async () => {
    const w = world({ rules: [rule({ match: { subject_prefix: SUBJECT, claims: { repository_owner: "acme" } } })] });
    const report = await inspectToken({ kind: "token", assertion: await sign({ aud: "other", sub: "repo:acme/api:pull_request", repository_owner: "evil" }) }, depsFor(w));
    const failing = report.rules[0]!.checks.filter((c) => c.status === "fail").map((c) => [c.key, c.reason]);
    expect(failing).toEqual([
      ["aud", "audience_mismatch"],
      ["sub", "match_subject_prefix"],
      ["claims.repository_owner", "match_claims"],
    ]);
    expect(report.rules[0]!.verdict).toMatchObject({ reason: "audience_mismatch" });
  });

  it("marks the exchange's later stages as not reached, and earlier independent ones as passed", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign({ sub: "repo:acme/api:pull_request" }) }, depsFor(world()));
    const status = Object.fromEntries(report.rules[0]!.checks.map((c) => [c.key, c.status]));
    expect(status).toMatchObject({ rule: "pass", header: "pass", key: "pass", signature: "pass", iss: "pass", expiry: "pass", aud: "pass", sub: "fail", jti: "skip", service_account: "skip", scope: "skip", workspace: "skip" });
  });

  it("skips time checks that need a missing claim instead of failing them twice", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign({ exp: undefined }) }, depsFor(world()));
    expect(checkOf(report, "exp_present").status).toBe("fail");
    expect(checkOf(report, "expiry").status).toBe("skip");
    expect(checkOf(report, "lifetime").status).toBe("skip");
  });
});

describe("inspectToken: a token that passes", () => {
  it("grants with the workspace, scope and lifetime the exchange would give, every row passing", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign() }, depsFor(world()));
    expect(report.rules[0]!.verdict).toEqual({ outcome: "granted", serviceAccountId: "svac_ci", workspaceId: "wrkspc_default", scope: "workspace:developer", expiresIn: 580, configuredLifetimeSeconds: 3600, lifetimeReason: expect.stringMatching(/twice .* expires in 290 s/) });
    expect(report.rules[0]!.checks.filter((c) => c.status !== "pass")).toEqual([]);
    expect(report.verification.map((c) => [c.key, c.status])).toEqual([
      ["header", "pass"],
      ["key", "pass"],
      ["signature", "pass"],
    ]);
  });

  it("never consumes the jti: testing twice gives the same verdict", async () => {
    const w = world();
    const token = await sign();
    await inspectToken({ kind: "token", assertion: token }, depsFor(w));
    const again = await inspectToken({ kind: "token", assertion: token }, depsFor(w));
    expect(again.rules[0]!.verdict.outcome).toBe("granted");
    expect(w.usedJtis.size).toBe(0);
  });

  it("decodes header and claims, names the provider and the registered issuer, and describes the times", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign() }, depsFor(world()));
    expect(report.decoded!.header).toEqual({ alg: "RS256", kid: "k1" });
    expect(report.decoded!.claims.sub).toBe(SUBJECT);
    expect(report.provider).toMatchObject({ id: "github-actions", label: "GitHub Actions" });
    expect(report.issuer).toMatchObject({ status: "registered", id: "fdis_gh", name: "github" });
    expect(report.lifetimeSeconds).toBe(300);
    expect(report.times).toEqual([
      { claim: "iat", value: NOW - 10, iso: new Date((NOW - 10) * 1000).toISOString(), relative: "issued 10 s ago" },
      { claim: "nbf", value: NOW - 15, iso: new Date((NOW - 15) * 1000).toISOString(), relative: "valid since 15 s ago" },
      { claim: "exp", value: NOW + 290, iso: new Date((NOW + 290) * 1000).toISOString(), relative: "expires in 4 min" },
    ]);
  });

  it("includes the GitHub trigger matrix for a rule on a GitHub issuer", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign() }, depsFor(world()));
    const matrix = report.rules[0]!.triggerMatrix!;
    expect(matrix.rows.find((r) => r.trigger === "push_default_branch")!.admitted).toBe(true);
    expect(matrix.rows.find((r) => r.trigger === "pull_request")!.admitted).toBe(false);
  });
});

describe("inspectToken: which rules", () => {
  it("without a rule, checks every live rule of the token's issuer", async () => {
    const w = world({
      rules: [rule(), rule({ id: "fdrl_env", name: "deploy-prod", match: { subject_prefix: "repo:acme/api:environment:prod" } }), rule({ id: "fdrl_old", name: "old", archived: true })],
    });
    const report = await inspectToken({ kind: "token", assertion: await sign() }, depsFor(w));
    expect(report.rules.map((r) => [r.ruleName, r.verdict.outcome])).toEqual([
      ["deploy-main", "granted"],
      ["deploy-prod", "denied"],
    ]);
  });

  it("for an unregistered iss, names near misses and fetches no keys", async () => {
    const w = world({ issuers: [issuer({ issuer_url: `${GH}/` })], rules: [] });
    const report = await inspectToken({ kind: "token", assertion: await sign() }, depsFor(w));
    expect(report.issuer).toEqual({ status: "unregistered", iss: GH, nearMisses: [{ id: "fdis_gh", name: "github", issuerUrl: `${GH}/`, difference: "differs only by a trailing slash" }] });
    expect(report.verification).toEqual([]);
    expect(report.rules).toEqual([]);
    expect(report.notes.join(" ")).toMatch(/No live issuer is registered/);
    expect(w.keyLookups).toEqual([]);
  });

  it("with a rule on another issuer, shows how that rule's exchange refuses the token", async () => {
    const other = issuer({ id: "fdis_gl", name: "gitlab", issuer_url: "https://gitlab.com", jwks: { type: "inline", keys: [{ ...jwk, kid: "gl1" }] } });
    const w = world({ issuers: [issuer(), other], rules: [rule({ id: "fdrl_gl", issuer: other, match: { subject_prefix: "project_path:acme/api:ref_type:branch:ref:main" } })] });
    const report = await inspectToken({ kind: "token", assertion: await sign(), ruleId: "fdrl_gl" }, depsFor(w));
    expect(report.rules[0]!.verdict).toMatchObject({ outcome: "denied", reason: "unknown_kid" });
    expect(checkOf(report, "key").hints.join(" ")).toMatch(/signed by another provider/);
    expect(checkOf(report, "iss").hints.join(" ")).toMatch(/registered as issuer github/);
  });

  it("reports an unknown rule", async () => {
    const report = await inspectToken({ kind: "token", assertion: await sign(), ruleId: "fdrl_nope" }, depsFor(world()));
    expect(report.rules).toEqual([]);
    expect(report.notes).toContain("No federation rule fdrl_nope exists.");
  });
});

describe("inspectToken: malformed input", () => {
  it.each([
    ["Bearer prefix", async () => `Bearer ${await sign()}`, /Bearer/],
    ["quotes", async () => `"${await sign()}"`, /quotes/],
    ["two parts", async () => (await sign()).split(".").slice(0, 2).join("."), /two parts/],
    ["JWE", async () => "a.b.c.d.e", /JWE/],
  ])("%s → malformed_jwt with a hint", async (_name, token, hint) => {
    const report = await inspectToken({ kind: "token", assertion: await token() }, depsFor(world()));
    expect(report.malformed).toMatchObject({ reason: "malformed_jwt", explanation: REASON_EXPLANATIONS.malformed_jwt });
    expect(report.malformed!.hints.join(" ")).toMatch(hint);
    expect(report.rules).toEqual([]);
  });
});

describe("inspectToken: recorded claims", () => {
  it("evaluates time checks at the event's moment and skips what needs the token", async () => {
    const at = NOW - 86400;
    const claims = claimsOf({ iss: GH, iat: at - 10, nbf: at - 15, exp: at + 290 });
    const report = await inspectToken({ kind: "recorded", claims, claimsVerified: true, at, ruleId: "fdrl_main" }, depsFor(world()));
    expect(report.source).toBe("recorded");
    expect(report.evaluatedAt).toBe(new Date(at * 1000).toISOString());
    expect(report.verification[0]).toMatchObject({ status: "skip" });
    expect(report.rules[0]!.verdict).toEqual({ outcome: "claims_pass" });
    expect(checkOf(report, "expiry").status).toBe("pass");
    expect(checkOf(report, "jti").status).toBe("skip");
  });

  it("shows the current rule's failing check for recorded claims", async () => {
    const at = NOW - 60;
    const claims = claimsOf({ sub: "repo:acme/api:ref:refs/heads/dev", iat: at - 10, nbf: at - 15, exp: at + 290 });
    const report = await inspectToken({ kind: "recorded", claims, claimsVerified: false, at }, depsFor(world()));
    expect(report.rules[0]!.verdict).toMatchObject({ outcome: "claims_fail", reason: "match_subject_prefix" });
    expect(checkOf(report, "sub")).toMatchObject({ found: "repo:acme/api:ref:refs/heads/dev", expected: SUBJECT });
    expect(report.notes.join(" ")).toMatch(/did NOT verify/);
  });
});

describe("helpers", () => {
  it.each([
    ["https://a.example/", "https://a.example", "differs only by a trailing slash"],
    ["https://A.example", "https://a.example", "differs only in letter case"],
    ["http://a.example", "https://a.example", "differs in scheme (http vs https)"],
    ["https://a.example:8443", "https://a.example", "differs only by the port"],
    ["https://b.example", "https://a.example", null],
  ])("describeIssuerDifference(%s, %s)", (a, b, expected) => {
    expect(describeIssuerDifference(a, b)).toBe(expected);
  });

  it("formats durations coarsely and times relative to the injected clock", () => {
    expect([formatDuration(45), formatDuration(-180), formatDuration(7200), formatDuration(3 * 86400)]).toEqual(["45 s", "3 min", "2 h", "3 d"]);
    expect(describeTimes({ exp: NOW - 7200, iat: "x" }, NOW)).toEqual([
      { claim: "iat", value: "x", iso: null, relative: null },
      { claim: "exp", value: NOW - 7200, iso: new Date((NOW - 7200) * 1000).toISOString(), relative: "expired 2 h ago" },
    ]);
  });
});
