/**
 * The tester's services on a real server and database: the demo issuer's keys are fetched
 * over real HTTP (discovery), the live exchange calls the real token endpoint, and the
 * history explains the reply. Secrets must not come back: no access token, no signature.
 */
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoIssuerUrl } from "../demo/issuer";
import type { TokenReport } from "../insight/tester";
import { DATABASE_KINDS, startTestServer, type TestServer } from "../../e2e/support/test-server";
import { ruleInput } from "../../e2e/support/rule-input";
import type { AdminContext, UserRole } from "./context";
import { createIssuer } from "./issuers";
import { runLiveExchange } from "./live-exchange";
import { createRule, updateRule } from "./rules";
import { createServiceAccount } from "./service-accounts";
import { mintSampleToken, testRecordedEvent, testToken } from "./token-tester";

const AUD = "https://api.anthropic.com";
const MAIN = "repo:acme/app:ref:refs/heads/main";
const DEV = "repo:acme/app:ref:refs/heads/dev";
const ACCESS_TOKEN = /sk-ant-oat01-[A-Za-z0-9_-]{10,}/;

describe.each(DATABASE_KINDS)("token tester services (%s)", (kind) => {
  let server: TestServer;
  let ruleId: string;
  const as = (role: UserRole): AdminContext => ({
    db: server.runtime.store.db,
    principal: { kind: "user", id: `user_${role}`, organizationId: server.organizationId, role, label: `${role}@example.com` },
    requestId: null,
    config: server.runtime.config,
  });
  const runtime = () => ({ store: server.runtime.store, keys: server.runtime.keys, publicUrl: server.runtime.publicUrl, allowInsecureLocal: false });
  const mint = async (subject: string) =>
    (await mintSampleToken(as("admin"), { subject, audience: AUD, claims: { repository: "acme/app", repository_owner: "acme", ref: "refs/heads/dev" }, lifetime_seconds: 300 }, runtime())).token;
  const check = (report: TokenReport, key: string) => report.rules[0]!.checks.find((c) => c.key === key)!;

  beforeAll(async () => {
    // The demo issuer is served over plain http on loopback: the development setting allows it.
    server = await startTestServer(kind, { WIF_ALLOW_INSECURE_ISSUERS: "1" });
    const owner = as("owner");
    const issuer = await createIssuer(owner, { name: "demo", issuer_url: demoIssuerUrl(server.runtime.publicUrl) });
    const sa = await createServiceAccount(owner, { name: "deployer" });
    ruleId = (await createRule(owner, ruleInput("deploy-main", issuer.id, sa.id, MAIN))).id;
  });
  afterAll(async () => server?.close());

  it("mints a demo token the tester verifies over discovery, and shows the branch mismatch", async () => {
    const token = await mint(DEV);
    const report = await testToken(as("viewer"), { assertion: `  ${token}\n`, rule_id: ruleId }, runtime());
    expect(report.provider).toMatchObject({ id: "demo" });
    expect(report.issuer).toMatchObject({ status: "registered", name: "demo" });
    expect(report.verification.map((c) => c.status)).toEqual(["pass", "pass", "pass"]);
    expect(check(report, "sub")).toMatchObject({ status: "fail", reason: "match_subject_prefix", found: DEV, expected: MAIN });
    expect(check(report, "sub").hints.join(" ")).toMatch(/expects a push to branch main, this token comes from a push to branch dev/);
    expect(report.rules[0]!.verdict).toMatchObject({ outcome: "denied", reason: "match_subject_prefix" });
    expect(report.rules[0]!.triggerMatrix?.rows[0]).toMatchObject({ trigger: "push_default_branch", admitted: true });
  });

  it("tests every live rule of the issuer when no rule is chosen", async () => {
    const report = await testToken(as("viewer"), { assertion: await mint(MAIN), rule_id: "" }, runtime());
    expect(report.rules.map((r) => [r.ruleId, r.verdict.outcome])).toEqual([[ruleId, "granted"]]);
  });

  it("refuses an unknown rule on its field, and a malformed rule ID by schema", async () => {
    await expect(testToken(as("viewer"), { assertion: "x.y.z", rule_id: "fdrl_0000000000" }, runtime())).rejects.toMatchObject({ status: 400, field: "rule_id" });
    await expect(testToken(as("viewer"), { assertion: "x.y.z", rule_id: "drop table" }, runtime())).rejects.toMatchObject({ status: 400, field: "rule_id" });
    await expect(testToken(as("viewer"), { assertion: "   " }, runtime())).rejects.toMatchObject({ status: 400, field: "assertion" });
  });

  it("lets only admins mint and run live exchanges", async () => {
    for (const role of ["viewer", "developer"] as const) {
      await expect(mintSampleToken(as(role), { subject: MAIN, audience: AUD, claims: {}, lifetime_seconds: 300 }, runtime())).rejects.toMatchObject({ status: 403 });
      await expect(runLiveExchange(as(role), { assertion: "a.b.c", target: "this_server", base_url: "", federation_rule_id: ruleId, organization_id: "", workspace_id: "", service_account_id: "", try_call: false }, runtime())).rejects.toMatchObject({ status: 403 });
    }
  });

  it("records who minted a sample token, never the token", async () => {
    const token = await mint(MAIN);
    const audit = await server.runtime.store.db.selectFrom("audit_events").selectAll().where("action", "=", "demo_token.minted").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_id: "user_admin", outcome: "success" });
    expect(audit.detail).toContain(MAIN);
    expect(audit.detail).not.toContain(token.split(".")[2]);
  });

  describe("after the rule is fixed", () => {
    let token: string;
    beforeAll(async () => {
      await updateRule(as("owner"), ruleId, { match: { subject_prefix: "repo:acme/app:ref:refs/heads/*" } });
      token = await mint(DEV);
    });

    it("the tester passes", async () => {
      const report = await testToken(as("viewer"), { assertion: token, rule_id: ruleId }, runtime());
      expect(report.rules[0]!.verdict).toMatchObject({ outcome: "granted", scope: "workspace:developer" });
    });

    it("shows the effective lifetime beside the configured one, with the reason when it is shorter", async () => {
      // A 5-minute identity token under a rule of an hour: the access token lives about 10 minutes.
      const report = await testToken(as("viewer"), { assertion: token, rule_id: ruleId }, runtime());
      const verdict = report.rules[0]!.verdict;
      expect(verdict).toMatchObject({ outcome: "granted", configuredLifetimeSeconds: 3600, lifetimeReason: expect.stringMatching(/twice its identity token's remaining validity/) });
      expect(verdict.outcome === "granted" && verdict.expiresIn).toBeLessThanOrEqual(600);
      const live = await runLiveExchange(as("admin"), { assertion: await mint(DEV), target: "this_server", base_url: "", federation_rule_id: ruleId, organization_id: "", workspace_id: "", service_account_id: "", try_call: false }, runtime());
      expect(live.lifetime).toMatchObject({ configuredSeconds: 3600, reason: expect.stringMatching(/expires in \d+ s/) });
      expect(live.lifetime!.seconds).toBeLessThanOrEqual(600);
    });

    it("the live exchange succeeds over HTTP, explains it from the history and tries the token, returning no secret", async () => {
      const result = await runLiveExchange(as("admin"), { assertion: token, target: "this_server", base_url: "", federation_rule_id: ruleId, organization_id: "", workspace_id: "", service_account_id: "", try_call: true }, runtime());
      expect(result.error).toBeNull();
      expect(result.granted).toBe(true);
      expect(result.request).toMatchObject({ method: "POST", url: `${server.runtime.publicUrl}/v1/oauth/token` });
      expect((result.request.body as { assertion: string }).assertion).toBe(`${token.split(".").slice(0, 2).join(".")}.<redacted>`);
      expect(result.reply).toMatchObject({ status: 200, requestId: expect.stringMatching(/^req_/), body: { token_type: "Bearer", scope: "workspace:developer", access_token: expect.stringMatching(/^sk-ant-oat01-.{3}….{3}$/) } });
      expect(result.history).toMatchObject({ requestId: result.reply!.requestId, outcome: "granted", reason: null });
      expect(result.calls).toHaveLength(1);
      expect(result.calls[0]!.reply).toMatchObject({ status: 200, body: { id: server.organizationId } });
      const wire = JSON.stringify(result);
      expect(wire).not.toMatch(ACCESS_TOKEN);
      expect(wire).not.toContain(token.split(".")[2]);
    });

    it("replaying the same token is refused, and the history's reason is explained", async () => {
      const result = await runLiveExchange(as("admin"), { assertion: token, target: "this_server", base_url: "", federation_rule_id: ruleId, organization_id: "", workspace_id: "", service_account_id: "", try_call: true }, runtime());
      expect(result.reply).toMatchObject({ status: 401, body: { type: "error", error: { type: "authentication_error", message: "Authentication failed" } } });
      expect(result.history).toMatchObject({ outcome: "denied", reason: "jti_reused", title: "Token already used", fix: expect.stringContaining("fresh identity token") });
      expect(result.calls).toEqual([]);
      // The tester reads the consumed jti without consuming anything itself.
      const report = await testToken(as("viewer"), { assertion: token, rule_id: ruleId }, runtime());
      expect(check(report, "jti")).toMatchObject({ status: "fail", reason: "jti_reused" });
    });

    it("runs the recorded claims of that history entry against the rule", async () => {
      const event = await server.runtime.store.db.selectFrom("auth_events").select("id").where("reason", "=", "jti_reused").executeTakeFirstOrThrow();
      const { event: summary, report } = await testRecordedEvent(as("viewer"), { event_id: event.id }, runtime());
      expect(summary).toMatchObject({ outcome: "denied", reason: "jti_reused", federation_rule_id: ruleId });
      expect(report.source).toBe("recorded");
      expect(report.rules[0]!.verdict).toEqual({ outcome: "claims_pass" });
      expect(report.verification[0]).toMatchObject({ status: "skip" });
    });

    it("sends a typed platform URL through the SSRF guard: loopback is refused and nothing is sent", async () => {
      const before = await server.runtime.store.db.selectFrom("auth_events").select(({ fn }) => fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      const result = await runLiveExchange(
        as("admin"),
        { assertion: await mint(DEV), target: "other", base_url: server.url, federation_rule_id: ruleId, organization_id: server.organizationId, workspace_id: "", service_account_id: "", try_call: true },
        runtime(),
      );
      expect(result.reply).toBeNull();
      expect(result.error).toMatch(/is not allowed/);
      const after = await server.runtime.store.db.selectFrom("auth_events").select(({ fn }) => fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it("with the development setting, exchanges against another base URL through the guarded POST", async () => {
      const result = await runLiveExchange(
        as("admin"),
        { assertion: await mint(DEV), target: "other", base_url: `${server.url}/`, federation_rule_id: ruleId, organization_id: server.organizationId, workspace_id: "", service_account_id: "", try_call: false },
        { ...runtime(), allowInsecureLocal: true },
      );
      expect(result.reply).toMatchObject({ status: 200 });
      expect(result.history).toBeNull();
      expect(result.calls).toEqual([]);
      expect(JSON.stringify(result)).not.toMatch(ACCESS_TOKEN);
    });

    it("explains keys that cannot be fetched: the tester and the live exchange name the URL and the error", async () => {
      const owner = as("owner");
      const dead = await createIssuer(owner, { name: "dead-keys", issuer_url: "https://dead-keys.example.com", jwks: { type: "explicit_url", url: "http://127.0.0.1:1/jwks" } });
      const deadRule = (await createRule(owner, ruleInput("dead-keys", dead.id, (await createServiceAccount(owner, { name: "dead-sa" })).id, "a"))).id;
      const { privateKey } = await generateKeyPair("ES256");
      const now = Math.floor(Date.now() / 1000);
      const jwt = await new SignJWT({ sub: "a" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setIssuer("https://dead-keys.example.com").setAudience(AUD).setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);

      const report = await testToken(as("viewer"), { assertion: jwt, rule_id: deadRule }, runtime());
      expect(report.rules[0]!.verdict).toMatchObject({ outcome: "denied", reason: "jwks_unavailable", detail: expect.stringContaining("fetching the key set http://127.0.0.1:1/jwks: could not reach 127.0.0.1:1") });
      expect(check(report, "key")).toMatchObject({ status: "fail", explanation: { fix: expect.stringContaining("issuer's page") } });

      const live = await runLiveExchange(as("admin"), { assertion: jwt, target: "this_server", base_url: "", federation_rule_id: deadRule, organization_id: "", workspace_id: "", service_account_id: "", try_call: false }, runtime());
      expect(live.history).toMatchObject({ reason: "jwks_unavailable", detail: expect.stringContaining("http://127.0.0.1:1/jwks"), fix: expect.stringContaining("issuer's page") });
    });

    it("explains an unknown kid with the kids the server holds and where it got them", async () => {
      const token = await mint(DEV);
      const [head, payload, signature] = token.split(".") as [string, string, string];
      const header = JSON.parse(Buffer.from(head, "base64url").toString()) as Record<string, unknown>;
      const forged = `${Buffer.from(JSON.stringify({ ...header, kid: "rotated-away" })).toString("base64url")}.${payload}.${signature}`;
      const report = await testToken(as("viewer"), { assertion: forged, rule_id: ruleId }, runtime());
      expect(report.rules[0]!.verdict).toMatchObject({ outcome: "denied", reason: "unknown_kid", detail: expect.stringMatching(/no key with kid "rotated-away" .*kids ".+"; fetched from http:\/\/.+ at \d{4}-/) });
    });

    it("requires a base URL and organization for another platform", async () => {
      await expect(
        runLiveExchange(as("admin"), { assertion: token, target: "other", base_url: "", federation_rule_id: ruleId, organization_id: "", workspace_id: "", service_account_id: "", try_call: false }, runtime()),
      ).rejects.toMatchObject({ status: 400, field: "base_url" });
    });
  });
});
