/**
 * The exchange decision at the core, with its dependencies passed in as plain in-memory data
 * (the rule, keys, used jtis, workspaces) and a fixed clock. The per-reason HTTP rows live in
 * lib/api/token-endpoint.test.ts; this file pins what only the core shows: the order of the
 * checks, which lookups each refusal is allowed to make (an unknown `iss` never reaches a
 * key source), single-use `jti` semantics and the trace a denial leaves for the history.
 */
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { IssuerKeySource } from "../jwks/key-resolver";
import { ExchangeDenied, type DenyReason } from "./deny-reasons";
import { decideExchange, JWT_BEARER_GRANT, type DecisionTrace, type ExchangeRequest } from "./exchange";
import { checkIndexOfReason, EXCHANGE_CHECKS, MAX_ASSERTION_BYTES, type ExchangeCheck } from "./exchange-checks";
import type { ExchangeDeps, RuleContext, WorkspaceRef } from "./ports";
import type { IssuerPolicy, RulePolicy } from "./types";

const ORG = "00000000-0000-4000-8000-000000000001";
const ISSUER = "https://idp.example.com";
const AUD = "https://api.anthropic.com";
const SUB = "repo:acme/app:ref:refs/heads/main";
const NOW = 1_800_000_000;

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = { ...(publicKey.export({ format: "jwk" }) as Record<string, unknown>), kid: "k1" };

const DEFAULT_WS: WorkspaceRef = { id: "wrkspc_DEFAULT", isDefault: true, archived: false };
const WS_A: WorkspaceRef = { id: "wrkspc_A", isDefault: false, archived: false };
const WS_B: WorkspaceRef = { id: "wrkspc_B", isDefault: false, archived: false };
const WS_GONE: WorkspaceRef = { id: "wrkspc_GONE", isDefault: false, archived: true };

function makeIssuer(extra: Partial<IssuerPolicy> = {}): IssuerPolicy {
  return { id: "fdis_1", issuer_url: ISSUER, jwks: { type: "inline", keys: [jwk] }, check_jti: true, max_jwt_lifetime_seconds: 3600, archived_at: null, ...extra };
}

function makeRule(extra: Partial<RulePolicy> = {}): RulePolicy {
  return {
    id: "fdrl_1",
    organization_id: ORG,
    issuer_id: "fdis_1",
    match: { subject_prefix: SUB },
    service_account_id: "svac_1",
    oauth_scope: "workspace:developer",
    token_lifetime_seconds: 3600,
    workspace_id: DEFAULT_WS.id,
    workspace_ids: [DEFAULT_WS.id],
    applies_to_all_workspaces: false,
    archived_at: null,
    ...extra,
  };
}

interface World {
  rule?: RuleContext;
  usedJtis?: Set<string>;
  workspaces?: WorkspaceRef[];
  members?: Set<string>;
}

/** Dependencies over plain data, recording which lookups the decision made. */
function depsFor(world: World) {
  const calls = { loadRule: 0, loadRuleJti: [] as Array<string | undefined>, keysFor: [] as string[], jtiUsed: [] as string[], isMember: 0 };
  const workspaces = world.workspaces ?? [DEFAULT_WS, WS_A, WS_B, WS_GONE];
  const deps: ExchangeDeps = {
    organizationId: ORG,
    defaultAudience: AUD,
    now: () => NOW,
    async loadRule(_ruleId, jti) {
      calls.loadRule++;
      calls.loadRuleJti.push(jti);
      return world.rule;
    },
    keysFor(issuer) {
      calls.keysFor.push(issuer.issuer_url);
      return new IssuerKeySource(issuer, { allowInsecureLocal: false });
    },
    async jtiUsed(_issuerId, jti) {
      calls.jtiUsed.push(jti);
      return world.usedJtis?.has(jti) ?? false;
    },
    async findWorkspace(ref) {
      return ref === "default" ? DEFAULT_WS : workspaces.find((w) => w.id === ref);
    },
    async enabledWorkspaces(rule) {
      return rule.applies_to_all_workspaces ? workspaces.filter((w) => !w.archived) : workspaces.filter((w) => rule.workspace_ids.includes(w.id));
    },
    async isMember(serviceAccountId, workspace) {
      calls.isMember++;
      return workspace.isDefault || (world.members?.has(`${serviceAccountId}@${workspace.id}`) ?? false);
    },
  };
  return { deps, calls };
}

const context = (rule: Partial<RulePolicy> = {}, issuer: Partial<IssuerPolicy> = {}, sa: Partial<RuleContext["serviceAccount"]> = {}): RuleContext => ({
  rule: makeRule(rule),
  issuer: makeIssuer(issuer),
  serviceAccount: { id: "svac_1", organizationRole: "developer", archived: false, ...sa },
});

const sign = (claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}) =>
  new SignJWT({ iss: ISSUER, sub: SUB, aud: AUD, iat: NOW, exp: NOW + 300, jti: "jti-1", ...claims }).setProtectedHeader({ alg: "ES256", kid: "k1", ...header }).sign(privateKey);

const request = async (extra: Partial<ExchangeRequest> = {}): Promise<ExchangeRequest> => ({
  grant_type: JWT_BEARER_GRANT,
  assertion: await sign(),
  federation_rule_id: "fdrl_1",
  organization_id: ORG,
  ...extra,
});

async function decide(req: ExchangeRequest, world: World) {
  const { deps, calls } = depsFor(world);
  const trace: DecisionTrace = { claimsVerified: false };
  try {
    const grant = await decideExchange(req, deps, trace);
    return { reason: "granted", grant, trace, calls };
  } catch (err) {
    if (!(err instanceof ExchangeDenied)) throw err;
    return { reason: err.reason, grant: undefined, trace, calls };
  }
}

describe("decideExchange", () => {
  it("grants a valid assertion: scope, workspace, lifetime and the jti to consume", async () => {
    const { reason, grant } = await decide(await request(), { rule: context() });
    expect(reason).toBe("granted");
    expect(grant).toMatchObject({ serviceAccountId: "svac_1", workspaceId: DEFAULT_WS.id, scope: "workspace:developer", subject: SUB, expiresIn: 600, jti: { value: "jti-1", expiresAt: NOW + 300 } });
  });

  it("refuses a request before loading anything when the grant type or size is wrong", async () => {
    const wrongGrant = await decide(await request({ grant_type: "client_credentials" }), { rule: context() });
    expect([wrongGrant.reason, wrongGrant.calls.loadRule]).toEqual(["invalid_request", 0]);
    const big = await decide(await request({ assertion: "x".repeat(MAX_ASSERTION_BYTES + 1) }), { rule: context() });
    expect([big.reason, big.calls.loadRule]).toEqual(["assertion_too_large", 0]);
    // Multi-byte characters count in bytes, not UTF-16 units.
    const wide = await decide(await request({ assertion: "é".repeat(MAX_ASSERTION_BYTES / 2 + 1) }), { rule: context() });
    expect(wide.reason).toBe("assertion_too_large");
  });

  it.each<[string, World, Partial<ExchangeRequest>, string]>([
    ["an unknown rule", {}, {}, "rule_not_found"],
    ["another organization in the request", { rule: context() }, { organization_id: "00000000-0000-4000-8000-000000000002" }, "organization_mismatch"],
    ["a rule of another organization", { rule: context({ organization_id: "00000000-0000-4000-8000-000000000002" }) }, {}, "organization_mismatch"],
    ["an archived rule", { rule: context({ archived_at: "2026-01-01T00:00:00Z" }) }, {}, "rule_archived"],
    ["an archived issuer", { rule: context({}, { archived_at: "2026-01-01T00:00:00Z" }) }, {}, "issuer_archived"],
  ])("refuses %s without asking any key source", async (_label, world, extra, reason) => {
    const result = await decide(await request(extra), world);
    expect(result.reason).toBe(reason);
    expect(result.calls.keysFor).toEqual([]);
  });

  it("never asks a key source for the issuer a token names, only the rule's (an unknown iss causes no fetch)", async () => {
    const result = await decide(await request({ assertion: await sign({ iss: "https://evil.example" }) }), { rule: context() });
    expect(result.reason).toBe("issuer_mismatch");
    expect(result.calls.keysFor).toEqual([ISSUER]);
  });

  it("records what an unverifiable token claimed, marked unverified, and verified claims once verified", async () => {
    const forged = await decide(await request({ assertion: (await sign({ sub: "repo:evil/x" })).replace(/\.[^.]+$/, `.${Buffer.alloc(64).toString("base64url")}`) }), { rule: context() });
    expect(forged.reason).toBe("signature_invalid");
    expect(forged.trace).toMatchObject({ claimsVerified: false, claims: { sub: "repo:evil/x" }, rule: { id: "fdrl_1" }, issuer: { id: "fdis_1" } });
    const wrongAud = await decide(await request({ assertion: await sign({ aud: "other" }) }), { rule: context() });
    expect(wrongAud.reason).toBe("audience_mismatch");
    expect(wrongAud.trace).toMatchObject({ claimsVerified: true, claims: { aud: "other" } });
  });

  it("checks the audience before the subject, and the match before the jti", async () => {
    const both = await decide(await request({ assertion: await sign({ aud: "other", sub: "repo:evil/x" }) }), { rule: context() });
    expect(both.reason).toBe("audience_mismatch");
    const unmatched = await decide(await request({ assertion: await sign({ sub: "repo:evil/x" }) }), { rule: context(), usedJtis: new Set(["jti-1"]) });
    expect(unmatched.reason).toBe("match_subject_prefix");
    expect(unmatched.calls.jtiUsed).toEqual([]);
  });

  it("enforces single use only when the issuer asks and the token carries a string jti", async () => {
    const used = new Set(["jti-1"]);
    expect((await decide(await request(), { rule: context(), usedJtis: used })).reason).toBe("jti_reused");
    const off = await decide(await request(), { rule: context({}, { check_jti: false }), usedJtis: used });
    expect([off.reason, off.calls.jtiUsed, off.grant?.jti]).toEqual(["granted", [], null]);
    const none = await decide(await request({ assertion: await sign({ jti: undefined }) }), { rule: context(), usedJtis: used });
    expect([none.reason, none.grant?.jti]).toEqual(["granted", null]);
  });

  it("takes the jti's state from the rule's read when it is the verified jti's, else asks", async () => {
    const withState = (jti: string, used: boolean): RuleContext => ({ ...context(), consumedJti: { jti, used } });
    const readWithRule = await decide(await request(), { rule: withState("jti-1", true) });
    expect([readWithRule.reason, readWithRule.calls.loadRuleJti, readWithRule.calls.jtiUsed]).toEqual(["jti_reused", ["jti-1"], []]);
    const fresh = await decide(await request(), { rule: withState("jti-1", false), usedJtis: new Set(["jti-1"]) });
    expect([fresh.reason, fresh.calls.jtiUsed]).toEqual(["granted", []]);
    // State read for another jti is never trusted.
    const other = await decide(await request(), { rule: withState("jti-2", false), usedJtis: new Set(["jti-1"]) });
    expect([other.reason, other.calls.jtiUsed]).toEqual(["jti_reused", ["jti-1"]]);
  });

  it.each<[string, RuleContext, Partial<ExchangeRequest>, string]>([
    ["an archived service account", context({}, {}, { archived: true }), {}, "service_account_archived"],
    ["another service_account_id", context(), { service_account_id: "svac_2" }, "service_account_mismatch"],
    ["org:admin on a developer", context({ oauth_scope: "workspace:developer org:admin" }), {}, "scope_not_allowed"],
    ["org:admin on an admin", context({ oauth_scope: "org:admin" }, {}, { organizationRole: "admin" }), {}, "granted"],
    ["the rule's own service_account_id", context(), { service_account_id: "svac_1" }, "granted"],
  ])("target: %s → %s", async (_label, rule, extra, reason) => {
    expect((await decide(await request(extra), { rule })).reason).toBe(reason);
  });

  it.each<[string, Partial<RulePolicy>, Partial<ExchangeRequest>, World["members"], string]>([
    ["the sole enabled workspace", { workspace_id: WS_A.id, workspace_ids: [WS_A.id] }, {}, new Set(["svac_1@wrkspc_A"]), "granted:wrkspc_A"],
    ["several enabled, none named", { workspace_ids: [WS_A.id, WS_B.id] }, {}, undefined, "workspace_id_required"],
    ["several enabled including the default, none named", { workspace_ids: [DEFAULT_WS.id, WS_A.id] }, {}, undefined, "granted:wrkspc_DEFAULT"],
    ["a named enabled workspace", { workspace_ids: [WS_A.id, WS_B.id] }, { workspace_id: WS_B.id }, new Set(["svac_1@wrkspc_B"]), "granted:wrkspc_B"],
    ["default by its alias", { workspace_ids: [DEFAULT_WS.id] }, { workspace_id: "default" }, undefined, "granted:wrkspc_DEFAULT"],
    ["a named workspace the rule does not enable", { workspace_ids: [WS_A.id] }, { workspace_id: WS_B.id }, undefined, "workspace_not_allowed"],
    ["an unknown workspace", {}, { workspace_id: "wrkspc_NOPE" }, undefined, "workspace_not_found"],
    ["an archived workspace", { workspace_ids: [WS_GONE.id, DEFAULT_WS.id] }, { workspace_id: WS_GONE.id }, undefined, "workspace_not_found"],
    ["a workspace the service account is not in", { workspace_id: WS_A.id, workspace_ids: [WS_A.id] }, {}, undefined, "service_account_not_in_workspace"],
    ["all workspaces, one named", { applies_to_all_workspaces: true, workspace_ids: [] }, { workspace_id: WS_A.id }, new Set(["svac_1@wrkspc_A"]), "granted:wrkspc_A"],
    ["all workspaces, a non-member one named", { applies_to_all_workspaces: true, workspace_ids: [] }, { workspace_id: WS_B.id }, undefined, "service_account_not_in_workspace"],
  ])("workspace: %s → %s", async (_label, rule, extra, members, expected) => {
    const result = await decide(await request(extra), { rule: context(rule), members });
    expect(result.reason === "granted" ? `granted:${result.grant!.workspaceId}` : result.reason).toBe(expected);
  });

  it("applies the checks in the order of EXCHANGE_CHECKS: a request failing several is refused for the earliest", async () => {
    // One way to fail each check, all applied at first (later ones first, so an earlier one wins
    // where two touch the same field); each round removes the earliest.
    interface Failing {
      req: Partial<ExchangeRequest>;
      claims: Record<string, unknown>;
      header: Record<string, unknown>;
      badSignature: boolean;
      rule: Partial<RulePolicy>;
      sa: Partial<RuleContext["serviceAccount"]>;
      usedJtis: Set<string>;
    }
    const failures: Array<[ExchangeCheck, (f: Failing) => void]> = [
      ["request", (f) => (f.req.grant_type = "client_credentials")],
      ["rule", (f) => (f.rule.archived_at = "2026-01-01T00:00:00Z")],
      ["header", (f) => (f.header.kid = undefined)],
      ["key", (f) => (f.header.kid = "k-unknown")],
      ["signature", (f) => (f.badSignature = true)],
      ["claims", (f) => (f.claims.exp = NOW - 600)],
      ["match", (f) => (f.claims.sub = "repo:evil/app:ref:refs/heads/main")],
      ["jti", (f) => f.usedJtis.add("jti-1")],
      ["service_account", (f) => (f.sa.archived = true)],
      ["scope", (f) => (f.rule.oauth_scope = "org:admin")],
      ["workspace", (f) => (f.req.workspace_id = "wrkspc_NOPE")],
    ];
    expect(failures.map(([check]) => check)).toEqual(EXCHANGE_CHECKS.map((c) => c.check));
    for (let first = 0; first <= failures.length; first++) {
      const f: Failing = { req: {}, claims: {}, header: { kid: "k1" }, badSignature: false, rule: {}, sa: {}, usedJtis: new Set() };
      for (const [, apply] of failures.slice(first).reverse()) apply(f);
      const signed = await sign(f.claims, f.header);
      const assertion = f.badSignature ? signed.replace(/\.[^.]+$/, `.${Buffer.alloc(64).toString("base64url")}`) : signed;
      const result = await decide(await request({ assertion, ...f.req }), { rule: context(f.rule, {}, f.sa), usedJtis: f.usedJtis });
      const refusedAt = result.reason === "granted" ? "granted" : EXCHANGE_CHECKS[checkIndexOfReason(result.reason as DenyReason)]!.check;
      expect([first, refusedAt]).toEqual([first, failures[first]?.[0] ?? "granted"]);
    }
  });

  it("caps the token at twice the assertion's remaining validity, never under a minute", async () => {
    const short = await decide(await request({ assertion: await sign({ iat: NOW - 290, exp: NOW + 10 }) }), { rule: context() });
    expect(short.grant?.expiresIn).toBe(60);
    const long = await decide(await request({ assertion: await sign({ exp: NOW + 3600 }) }), { rule: context({ token_lifetime_seconds: 900 }) });
    expect(long.grant?.expiresIn).toBe(900);
  });
});
