/**
 * The token tester's application services: test a pasted token or the claims of a history
 * entry (any console user may; it only reads), and mint a sample token from the demo issuer
 * (admins only: a demo token can be exchanged wherever the demo issuer is trusted). Tokens
 * are never stored or logged here.
 */
import { invalidRequest } from "../core/errors";
import { inspectToken } from "../insight/inspect-token";
import type { NamedRule, RegisteredIssuer, TesterDeps, TokenReport } from "../insight/tester";
import type { KeySourceRegistry } from "../jwks/key-resolver";
import { demoIssuerUrl, mintDemoToken } from "../demo/issuer";
import { recordedTest, sampleTokenRequest, tokenTest } from "../schemas/tester";
import { exchangeReads } from "../store/exchange-store";
import { toIssuerPolicy } from "../store/issuer-policy";
import type { Store } from "../store/db";
import { recordAudit } from "./audit";
import { assertCanRead, assertCanWrite, type AdminContext } from "./context";
import { getAuthEvent } from "./history";
import { parseInput } from "./parse";

/** What the tester needs from the running server besides the store. */
export interface TesterRuntime {
  /** The open store: the tester reads through the token path's own prepared queries. */
  store: Store;
  /** The process's key sources, shared with the token endpoint (one refetch cooldown per issuer). */
  keys: KeySourceRegistry;
  publicUrl: string;
}

/** Rules checked at most when testing against every rule of an issuer. */
const MAX_RULES = 50;

function testerDeps(ctx: AdminContext, runtime: TesterRuntime): TesterDeps {
  const org = ctx.principal.organizationId;
  const reads = exchangeReads(runtime.store, org);
  const loadNamed = async (id: string, name: string): Promise<NamedRule | undefined> => {
    const context = await reads.loadRule(id);
    return context && { name, context };
  };
  return {
    organizationId: org,
    defaultAudience: ctx.config.defaultAudience,
    now: () => Math.floor(Date.now() / 1000),
    keysFor: (issuer) => runtime.keys.get(issuer),
    jtiUsed: reads.jtiUsed,
    findWorkspace: reads.findWorkspace,
    enabledWorkspaces: reads.enabledWorkspaces,
    isMember: reads.isMember,
    demoIssuerUrl: demoIssuerUrl(runtime.publicUrl),
    async liveIssuers(): Promise<RegisteredIssuer[]> {
      const rows = await ctx.db.selectFrom("federation_issuers").selectAll().where("organization_id", "=", org).where("archived_at", "is", null).orderBy("created_at").execute();
      return rows.map((r) => ({ ...toIssuerPolicy(r), name: r.name }));
    },
    async loadRule(id) {
      const row = await ctx.db.selectFrom("federation_rules").select(["id", "name"]).where("organization_id", "=", org).where("id", "=", id).executeTakeFirst();
      return row && loadNamed(row.id, row.name);
    },
    async liveRules(issuerId) {
      const rows = await ctx.db
        .selectFrom("federation_rules")
        .select(["id", "name"])
        .where("organization_id", "=", org)
        .where("issuer_id", "=", issuerId)
        .where("archived_at", "is", null)
        .orderBy("created_at")
        .limit(MAX_RULES)
        .execute();
      const named = await Promise.all(rows.map((r) => loadNamed(r.id, r.name)));
      return named.filter((r): r is NamedRule => r !== undefined);
    },
  };
}

async function assertRuleExists(ctx: AdminContext, id: string | undefined): Promise<void> {
  if (!id) return;
  const row = await ctx.db.selectFrom("federation_rules").select("id").where("organization_id", "=", ctx.principal.organizationId).where("id", "=", id).executeTakeFirst();
  if (!row) throw invalidRequest("rule_id", `federation rule ${id} does not exist`);
}

/** Test a pasted token against one rule, or every live rule of its issuer. */
export async function testToken(ctx: AdminContext, input: unknown, runtime: TesterRuntime): Promise<TokenReport> {
  assertCanRead(ctx);
  const body = parseInput(tokenTest, input);
  await assertRuleExists(ctx, body.rule_id);
  return inspectToken({ kind: "token", assertion: body.assertion, ruleId: body.rule_id, workspaceId: body.workspace_id, serviceAccountId: body.service_account_id }, testerDeps(ctx, runtime));
}

export interface RecordedTestResult {
  event: { id: string; occurred_at: string; request_id: string; outcome: "granted" | "denied"; reason: string | null; reason_title: string | null; federation_rule_id: string | null };
  report: TokenReport;
}

/**
 * Run the rule checks on the claims a history entry recorded (the token itself is never kept,
 * so there is no signature to check). Defaults to the entry's rule when it still exists.
 */
export async function testRecordedEvent(ctx: AdminContext, input: unknown, runtime: TesterRuntime): Promise<RecordedTestResult> {
  assertCanRead(ctx);
  const body = parseInput(recordedTest, input);
  const event = await getAuthEvent(ctx, body.event_id);
  if (event.claims_unreadable) throw invalidRequest("event_id", "the claims this history entry recorded are damaged and cannot be read, so there is nothing to test");
  if (!event.claims) throw invalidRequest("event_id", "this history entry recorded no claims (the request was malformed before a token was read), so there is nothing to test");
  await assertRuleExists(ctx, body.rule_id);
  let ruleId = body.rule_id;
  if (!ruleId && event.federation_rule_id) {
    const rule = await ctx.db.selectFrom("federation_rules").select("id").where("organization_id", "=", ctx.principal.organizationId).where("id", "=", event.federation_rule_id).executeTakeFirst();
    ruleId = rule?.id;
  }
  const report = await inspectToken(
    { kind: "recorded", claims: event.claims, claimsVerified: event.claims_verified, at: Math.floor(Date.parse(event.occurred_at) / 1000), ruleId },
    testerDeps(ctx, runtime),
  );
  const { id, occurred_at, request_id, outcome, reason, reason_title, federation_rule_id } = event;
  return { event: { id, occurred_at, request_id, outcome, reason, reason_title, federation_rule_id }, report };
}

/** The organization's live issuer registered with this URL (the demo issuer's), if there is one. */
export async function findLiveIssuerId(ctx: AdminContext, issuerUrl: string): Promise<string | null> {
  assertCanRead(ctx);
  const issuer = await ctx.db
    .selectFrom("federation_issuers")
    .select("id")
    .where("organization_id", "=", ctx.principal.organizationId)
    .where("issuer_url", "=", issuerUrl)
    .where("archived_at", "is", null)
    .executeTakeFirst();
  return issuer?.id ?? null;
}

export interface SampleToken {
  token: string;
  issuer_url: string;
  /** The live issuer registered with the demo issuer's URL, if any (without one, no rule can admit the token). */
  issuer_id: string | null;
  expires_at: string;
}

/** Mint a sample token from this server's demo issuer. */
export async function mintSampleToken(ctx: AdminContext, input: unknown, runtime: TesterRuntime): Promise<SampleToken> {
  assertCanWrite(ctx);
  const body = parseInput(sampleTokenRequest, input);
  const issuerUrl = demoIssuerUrl(runtime.publicUrl);
  const now = Math.floor(Date.now() / 1000);
  const token = await mintDemoToken(ctx.db, { issuerUrl, subject: body.subject, audience: body.audience, claims: body.claims as Record<string, unknown>, lifetimeSeconds: body.lifetime_seconds, now });
  const issuerId = await findLiveIssuerId(ctx, issuerUrl);
  // Who minted what (never the token itself): a demo token can be exchanged wherever the demo issuer is trusted.
  await recordAudit(ctx.db, ctx.principal, ctx.principal.organizationId, ctx.requestId, {
    action: "demo_token.minted",
    targetType: "federation_issuer",
    targetId: issuerId,
    detail: { subject: body.subject, audience: body.audience, lifetime_seconds: body.lifetime_seconds },
  });
  return { token, issuer_url: issuerUrl, issuer_id: issuerId, expires_at: new Date((now + body.lifetime_seconds) * 1000).toISOString() };
}
